// QR codes of activation links (the `qrcode` package): SVG for the portal, PNG for e-mail.
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'M', margin: 2 } as const;

export const qrSvg = (text: string): Promise<string> => QRCode.toString(text, { ...OPTIONS, type: 'svg' });

export const qrPngDataUri = (text: string): Promise<string> =>
  QRCode.toDataURL(text, { ...OPTIONS, width: 256 });

export const qrPng = async (text: string): Promise<Uint8Array> =>
  new Uint8Array(await QRCode.toBuffer(text, { ...OPTIONS, type: 'png', width: 256 }));
