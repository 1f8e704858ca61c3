import type { Metadata } from "next";
import { Suspense, type ReactNode } from "react";
import { DemoBadge } from "~/components/demo-badge/demo-badge";
import "./globals.css";

export const metadata: Metadata = {
  title: "Shelf Sentiment",
  description:
    "Anonymous facial-expression statistics at your shelves (expressions, not feelings) — on your own servers.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-6xl items-center justify-between px-6 py-4">
            <div className="flex items-center gap-3">
              <a href="/" className="text-lg font-semibold tracking-tight">
                Shelf Sentiment
              </a>
              <Suspense fallback={null}>
                <DemoBadge />
              </Suspense>
            </div>
            <p className="text-sm text-slate-500">No face image is ever stored.</p>
          </div>
        </header>
        <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
      </body>
    </html>
  );
}
