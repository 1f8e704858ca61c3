/** A source URL safe to show: a password in it (rtsp://user:secret@host) is masked. */
export function maskSourceUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*):[^/@\s]*@/i, "$1:•••@");
}
