import "@cxr/ui/styles.css";
import "./globals.css";
import { type Metadata, type Viewport } from "next";
import { type ReactNode } from "react";

export const metadata: Metadata = {
  title: { default: "CXR Review", template: "%s · CXR Review" },
  description: "Chest X-ray model review, Grad-CAM explanations, label corrections and retraining.",
};

export const viewport: Viewport = { themeColor: "#0b0f14", colorScheme: "dark" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
