// The results page's only script. The page is sent as finished HTML and not
// hydrated (its charts are HTML drawn by the server, and the rendered
// questions are kept per view of the counts), and everything works without
// this file: the filters are a GET form, each chart's SVG is a link. With it,
// the page offers two buttons: print, and each chart as PNG (the server's SVG
// drawn onto a canvas at twice its size, sharp on paper and high-density
// screens). Plain JavaScript, served as it is written: keep it small.

/** Wires the page's buttons once each: it runs when the file loads, and again after a client-side navigation to the page. */
export function enhanceResultsPage() {
  for (const button of document.querySelectorAll("button[data-print]:not([data-ready])")) {
    if (!(button instanceof HTMLButtonElement)) continue;
    button.dataset.ready = "";
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  for (const button of document.querySelectorAll("button[data-png-from]:not([data-ready])")) {
    if (!(button instanceof HTMLButtonElement)) continue;
    button.dataset.ready = "";
    button.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const response = await fetch(button.dataset.pngFrom ?? "", { credentials: "same-origin" });
        if (!response.ok) throw new Error(`chart: ${response.status}`);
        download(await svgToPng(await response.text()), button.dataset.fileName ?? "chart.png");
      } finally {
        button.disabled = false;
      }
    });
  }
}

enhanceResultsPage();

/** @param {string} svg */
async function svgToPng(svg) {
  const width = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 960);
  const height = Number(/height="(\d+)"/.exec(svg)?.[1] ?? 400);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = width * 2;
  canvas.height = height * 2;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no canvas");
  context.scale(2, 2);
  context.drawImage(image, 0, 0, width, height);
  return /** @type {Promise<Blob>} */ (
    new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no PNG"))), "image/png"))
  );
}

/** @param {Blob} blob @param {string} name */
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
