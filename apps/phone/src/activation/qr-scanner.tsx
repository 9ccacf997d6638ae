// Scans the activation QR code with the camera: the browser's BarcodeDetector where it has one
// (Android, macOS, ChromeOS), else jsQR on video frames (loaded only when needed). The QR code
// holds the click-to-activate link; its `activate` parameter is the code.
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { extractActivationCode } from '../provisioning/provisioning-client.ts';
import { Dialog } from '../ui/dialog.tsx';

interface DetectedBarcode {
  readonly rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = (new (options: { formats: string[] }) => BarcodeDetectorLike) & {
  getSupportedFormats?: () => Promise<string[]>;
};

async function makeDecoder(): Promise<
  (video: HTMLVideoElement, canvas: HTMLCanvasElement) => Promise<string | undefined>
> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Detector && (await Detector.getSupportedFormats?.().catch((): string[] => []))?.includes('qr_code')) {
    const detector = new Detector({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video))[0]?.rawValue;
  }
  const { default: jsQR } = await import('jsqr');
  return async (video, canvas) => {
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (!width || !height) return undefined;
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) return undefined;
    context.drawImage(video, 0, 0, width, height);
    return jsQR(context.getImageData(0, 0, width, height).data, width, height)?.data;
  };
}

export function QrScanner({
  onCode,
  onClose,
}: {
  readonly onCode: (code: string) => void;
  readonly onClose: () => void;
}) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  // The latest callback, so that a re-render of the parent does not restart the camera.
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let stopped = false;
    const run = async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        const decode = await makeDecoder();
        while (!stopped) {
          const value = await decode(video.current, canvas.current!).catch(() => undefined);
          if (value) {
            onCodeRef.current(extractActivationCode(value));
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } catch {
        if (!stopped) setFailed(true);
      }
    };
    void run();
    return () => {
      stopped = true;
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  return (
    <Dialog title={t('activate.scanTitle')} onClose={onClose}>
      {failed ? (
        <p role="alert">{t('activate.scanUnavailable')}</p>
      ) : (
        <>
          <p>{t('activate.scanHelp')}</p>
          <video ref={video} className="qr-video" muted playsInline aria-label={t('activate.scanTitle')} />
          <canvas ref={canvas} hidden />
        </>
      )}
    </Dialog>
  );
}
