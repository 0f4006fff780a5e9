import { useSignal } from "@preact/signals";
import type { JSX } from "preact";

/** Uploads a document to the blob library (multipart `file`), then reloads the page. */
export function BlobUpload(_props: Record<string, never>): JSX.Element {
  const error = useSignal("");
  const busy = useSignal(false);

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem("file") as HTMLInputElement;
    if (!input.files?.length) {
      error.value = "Choose a file first";
      return;
    }
    busy.value = true;
    error.value = "";
    try {
      const data = new FormData();
      data.append("file", input.files[0]);
      const res = await fetch("/api/v1/canary/blobs", {
        method: "POST",
        body: data,
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        error.value = body?.error?.message ?? `Upload failed with status ${res.status}`;
        return;
      }
      location.reload();
    } finally {
      busy.value = false;
    }
  }

  return (
    <form class="controls" onSubmit={(e) => void submit(e)}>
      <label for="blob-file">Upload a document (DOCX, XLSX, PDF, …)</label>
      <input id="blob-file" name="file" type="file" aria-describedby="blob-error" />
      <button type="submit" disabled={busy.value}>Upload</button>
      {error.value && <span id="blob-error" class="error" role="alert">{error.value}</span>}
    </form>
  );
}
