/**
 * A source URL safe to show: a password in it (rtsp://user:secret@host/…) is masked. Sources saved since
 * credentials are sealed carry none; this covers rows written before that.
 */
export function maskSourceUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!scheme) return url;
  const rest = url.slice(scheme[0].length);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  // The user info ends at the authority's last "@" (a password may contain "@").
  const at = authority.lastIndexOf("@");
  if (at < 0) return url;
  const userInfo = authority.slice(0, at);
  const colon = userInfo.indexOf(":");
  if (colon < 0) return url;
  return `${scheme[0]}${userInfo.slice(0, colon)}:•••${authority.slice(at)}${slash < 0 ? "" : rest.slice(slash)}`;
}
