/** Every unknown address: a 404 page in the visitor's language (root ErrorBoundary). */
export function loader() {
  throw new Response("Not found", { status: 404 });
}

export function action() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
