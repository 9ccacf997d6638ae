// Plays a voicemail message or a call recording from the PBX: the audio is fetched with the
// device token (an <audio> element cannot send it), then played from a blob: URL.
import { useEffect, useState } from 'react';
import { useApp } from '../ui/app-context.tsx';

export function AudioPlayer({
  audioUrl,
  label,
  onPlay,
}: {
  readonly audioUrl: string;
  readonly label: string;
  readonly onPlay?: () => void;
}) {
  const { engine, log } = useApp();
  const [src, setSrc] = useState<string | undefined>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let url: string | undefined;
    let cancelled = false;
    engine.services
      .audio(audioUrl)
      .then((u) => {
        url = u;
        if (cancelled) URL.revokeObjectURL(u);
        else setSrc(u);
      })
      .catch((error: unknown) => {
        log.warn('services', 'audio not loaded', { error: String(error) });
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [audioUrl, engine, log]);

  if (failed) return <span className="party-reason">—</span>;
  return (
    <audio
      className="audio-player"
      controls
      autoPlay
      aria-label={label}
      data-audio-url={audioUrl}
      {...(src !== undefined && { src })}
      onPlay={onPlay}
    />
  );
}
