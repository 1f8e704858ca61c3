"use client";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div role="alert" className="space-y-3 rounded border border-red-300 bg-red-50 p-4">
      <p className="font-medium">Something went wrong loading this page.</p>
      <p className="text-sm text-red-800">{error.digest ? `Reference ${error.digest}` : error.message}</p>
      <button type="button" onClick={reset} className="rounded bg-red-700 px-3 py-1.5 text-white">
        Try again
      </button>
    </div>
  );
}
