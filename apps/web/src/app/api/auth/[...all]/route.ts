import { auth } from "@shelf/api/auth/instance";

// better-auth's endpoints (sign-in, sign-out, session). The instance is created on first request, not at build.
export function GET(request: Request): Promise<Response> {
  return auth().handler(request);
}

export function POST(request: Request): Promise<Response> {
  return auth().handler(request);
}
