/**
 * The longest key backup text: a QR code at error-correction level M holds ~1,800 alphanumeric characters;
 * stay well below. Its own module so the first-run screen can check a file's size without loading the
 * backup's crypto before the person chooses to restore.
 */
export const MAX_BACKUP_CHARS = 1000;
