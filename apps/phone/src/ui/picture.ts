// A picture chosen by the user, made small (96×96, JPEG data: URL) so it fits the device storage.
export async function readPicture(file: File | undefined, size = 96): Promise<string | undefined> {
  if (!file || !file.type.startsWith('image/')) return undefined;
  const bitmap = await createImageBitmap(file);
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  const side = Math.min(bitmap.width, bitmap.height);
  context.drawImage(
    bitmap,
    (bitmap.width - side) / 2,
    (bitmap.height - side) / 2,
    side,
    side,
    0,
    0,
    size,
    size,
  );
  return canvas.toDataURL('image/jpeg', 0.85);
}
