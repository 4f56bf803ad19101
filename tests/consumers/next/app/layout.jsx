// An icon of its own, so the browser does not ask for a /favicon.ico this app does not have.
export const metadata = { title: 'nova-states consumer: Next.js', icons: { icon: 'data:,' } };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
