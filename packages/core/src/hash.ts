const FNV128_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV128_PRIME = 0x0000000001000000000000000000013bn;
const MASK128 = (1n << 128n) - 1n;

/**
 * FNV-1a, 128-bit, over the UTF-8 bytes of `input`, as 32 lowercase hex digits.
 *
 * A stable, dependency-free hash for deterministic ids (not for security: it is fast to invert for
 * guessable inputs and not collision-resistant against an adversary). Each byte step is a bijection
 * on the state, so inputs of equal length that differ in one byte never collide.
 */
export function fnv1a128Hex(input: string): string {
  let hash = FNV128_OFFSET;
  for (const byte of new TextEncoder().encode(input)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV128_PRIME) & MASK128;
  }
  return hash.toString(16).padStart(32, "0");
}

/**
 * A UUID-formatted deterministic id: the 128-bit hash of `input` with the RFC 9562 version nibble
 * set to 8 (custom) and the variant bits to 10, so it fits uuid columns and validators.
 */
export function hashUuid(input: string): string {
  const hex = fnv1a128Hex(input).split("");
  hex[12] = "8";
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
