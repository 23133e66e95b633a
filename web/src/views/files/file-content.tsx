/**
 * A message that carries a file. Received or uploaded: JPEG/PNG/GIF/WebP from this host as a thumbnail
 * that opens full size, audio and video from this host playable inline, anything else (SVG, HTML,
 * PDF, ...) a download card with name, size and type. Only files under this host's upload path load
 * inline (the page's CSP `img-src`/`media-src 'self'`, shared-file.ts inlineAllowed): any other URL is
 * a plain link. Waiting in the outbox: the
 * device copy's preview, the upload's progress with Cancel, or why it failed with Retry.
 */
import { useEffect, useState } from "preact/hooks";
import type { ChatMessage } from "../../model/chats/chats-proxy";
import { formatSize, inlineAllowed, kindOf, type SharedFile } from "../../model/files/shared-file";
import { FileIcon } from "./icons";
import { useFilesMediator } from "./use-files-mediator";
import "./files.css";

/**
 * What a HEAD of a same-host file says of its size and type, for its card; the message keeps them
 * (FILE_DETAILS), so the card reads the same offline and after a reload without asking again.
 */
function useHeadInfo(m: ChatMessage, want: boolean): SharedFile {
  const f = useFilesMediator();
  const file = m.file as SharedFile;
  const [info, setInfo] = useState(file);
  useEffect(() => {
    if (!want || !file.url || file.size !== undefined) return;
    let live = true;
    fetch(file.url, { method: "HEAD" })
      .then((res) => {
        const length = res.headers.get("content-length");
        const size = length === null ? Number.NaN : Number(length);
        const type = res.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
        if (!live || !res.ok) return;
        const known = { ...(Number.isFinite(size) ? { size } : {}), ...(type ? { type } : {}) };
        setInfo({ ...file, ...known });
        f.learn(m, known.size, known.type);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [file.url, want]);
  return info;
}

function Card({ file, href }: { file: SharedFile; href?: string }) {
  const details = [file.size !== undefined ? formatSize(file.size) : "", file.type ?? ""].filter(Boolean).join(" · ");
  const body = (
    <>
      <span class="file-card__name">{file.name}</span>
      {details ? <span class="file-card__details">{details}</span> : null}
    </>
  );
  return href ? (
    <a class="file-card" href={href} download={file.name} target="_blank" rel="noopener noreferrer" data-testid="file-card">
      <FileIcon /> {body}
    </a>
  ) : (
    <span class="file-card" data-testid="file-card">
      <FileIcon /> {body}
    </span>
  );
}

function Pending({ m }: { m: ChatMessage }) {
  const f = useFilesMediator();
  const file = m.file as SharedFile;
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    if (kindOf(file.type ?? "") !== "image") return;
    let url: string | null = null;
    let live = true;
    f.localCopy(m.id).then((blob) => {
      if (!live || !blob) return;
      url = URL.createObjectURL(blob);
      setPreview(url);
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [m.id]);
  const progress = f.progress(m.id);
  const error = m.state === "failed" ? (f.error(m.id) ?? "The upload failed.") : null;
  return (
    <div class="file file--pending" data-testid="file-pending">
      {preview ? <img class="file__thumb" src={preview} alt={`Preview of ${file.name}`} /> : <Card file={file} />}
      {progress !== undefined ? (
        <div class="file__progress">
          <progress max={1} value={progress} aria-label={`Uploading ${file.name}`} />
          <button type="button" class="btn btn--quiet" onClick={() => f.cancel(m.id)}>
            Cancel
          </button>
        </div>
      ) : null}
      {error ? (
        <p class="file__error" role="alert">
          {error}{" "}
          <button type="button" class="btn btn--quiet" onClick={() => f.retry(m.id)}>
            Retry
          </button>
        </p>
      ) : null}
    </div>
  );
}

export function FileContent({ m }: { m: ChatMessage }) {
  const file = m.file as SharedFile;
  const url = file.url;
  const kind = kindOf(file.type ?? "");
  const inline = !!url && inlineAllowed(url, location.origin);
  const info = useHeadInfo(m, inline && kind === "other");
  if (!url) return <Pending m={m} />;
  if (!inline) {
    return (
      <p class="msg__body">
        <a href={url} target="_blank" rel="noopener noreferrer" data-testid="file-link">
          {file.name}
        </a>
      </p>
    );
  }
  if (kind === "image") {
    return (
      <a class="file" href={url} target="_blank" rel="noopener noreferrer" data-testid="file-image">
        <img class="file__thumb" src={url} alt={file.name} loading="lazy" />
      </a>
    );
  }
  // biome-ignore lint/a11y/useMediaCaption: a peer's recording comes without a captions track
  if (kind === "audio") return <audio class="file__audio" controls preload="metadata" src={url} aria-label={file.name} />;
  // biome-ignore lint/a11y/useMediaCaption: a peer's video comes without a captions track
  if (kind === "video") return <video class="file__video" controls preload="metadata" src={url} aria-label={file.name} />;
  return <Card file={info} href={url} />;
}
