export default function Index() {
  return (
    <main>
      <p>A paragraph of text: the smallest page a Remix app serves.</p>
    </main>
  );
}
