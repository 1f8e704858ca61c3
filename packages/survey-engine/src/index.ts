export {
  InviteTokenError,
  signInviteToken,
  tokenHash,
  verifyInviteToken,
  type InviteClaims,
} from "./invite-token.ts";
