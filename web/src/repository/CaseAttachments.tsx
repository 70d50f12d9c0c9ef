import {
  Alert,
  Anchor,
  Box,
  Button,
  CloseButton,
  FileButton,
  Group,
  Image,
  Paper,
  Stack,
  Text,
} from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type DragEvent, useState } from "react";
import { ApiError } from "../api";
import type { AttachmentRef } from "./types";

/** The download address the browser uses (same origin, session cookie); the API's url may name another host. */
export function downloadHref(hash: string): string {
  return `/v1/attachment/${encodeURIComponent(hash)}/download`;
}

function isImage(a: AttachmentRef): boolean {
  return (a.mime ?? "").startsWith("image/") && a.mime !== "image/svg+xml";
}

function sizeText(bytes: number | undefined): string {
  if (bytes === undefined) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface Uploaded {
  hash: string;
  filename: string;
  mime: string;
}

/** POST /v1/attachment/{code} as multipart, one `file[]` part per file, in order. */
async function upload(code: string, files: File[]): Promise<AttachmentRef[]> {
  const form = new FormData();
  for (const f of files) form.append("file[]", f, f.name);
  const res = await fetch(`/v1/attachment/${encodeURIComponent(code)}`, {
    method: "POST",
    credentials: "same-origin",
    body: form,
  });
  const json = (await res.json().catch(() => null)) as {
    result?: Uploaded[];
    errorMessage?: string;
  } | null;
  if (!res.ok) {
    const why =
      res.status === 413
        ? "The file is larger than the server accepts, or there are too many files."
        : res.status === 507
          ? "The project's attachment storage is full."
          : (json?.errorMessage ?? `Upload failed (${res.status})`);
    throw new ApiError(res.status, why);
  }
  return (json?.result ?? []).map((u, i) => ({
    hash: u.hash,
    filename: u.filename,
    mime: u.mime,
    size: files[i]?.size,
  }));
}

/** One attachment: images as a thumbnail, everything else as a download link. */
function AttachmentItem({ a, onRemove }: { a: AttachmentRef; onRemove?: (() => void) | undefined }) {
  const name = a.filename ?? a.hash;
  return (
    <Paper withBorder p="xs" component="li" style={{ listStyle: "none" }} aria-label={`Attachment ${name}`}>
      <Group gap="sm" wrap="nowrap" justify="space-between">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          {isImage(a) && (
            <Anchor href={downloadHref(a.hash)} target="_blank" rel="noreferrer">
              <Image src={downloadHref(a.hash)} alt={name} h={64} w={96} fit="contain" radius="sm" />
            </Anchor>
          )}
          <Box style={{ minWidth: 0 }}>
            <Anchor href={downloadHref(a.hash)} download={name} size="sm" style={{ wordBreak: "break-all" }}>
              {name}
            </Anchor>
            <Text size="xs" c="dimmed">
              {[a.mime, sizeText(a.size)].filter(Boolean).join(" · ") || "file not found"}
            </Text>
          </Box>
        </Group>
        {onRemove && <CloseButton aria-label={`Remove attachment ${name}`} onClick={onRemove} />}
      </Group>
    </Paper>
  );
}

/** The case page's list of attachments. */
export function AttachmentList({ attachments }: { attachments: AttachmentRef[] }) {
  if (attachments.length === 0)
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    );
  return (
    <Stack component="ul" gap="xs" p={0} m={0}>
      {attachments.map((a) => (
        <AttachmentItem key={a.hash} a={a} />
      ))}
    </Stack>
  );
}

/**
 * The case editor's attachments: drop files on the zone or choose them; each upload goes to the project
 * at once and its hash joins the case when the case is saved. Removing only detaches the file from the case.
 */
export function AttachmentsEditor({
  code,
  value,
  onChange,
  error,
}: {
  code: string;
  value: AttachmentRef[];
  onChange(fn: (prev: AttachmentRef[]) => AttachmentRef[]): void;
  error?: string | undefined;
}) {
  const [over, setOver] = useState(false);
  const send = useMutation({
    mutationFn: (files: File[]) => upload(code, files),
    onSuccess: (added) =>
      onChange((prev) => [...prev, ...added.filter((a) => !prev.some((p) => p.hash === a.hash))]),
  });
  const take = (files: File[]) => {
    if (files.length > 0) send.mutate(files);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    take([...e.dataTransfer.files]);
  };

  return (
    <Stack gap="xs">
      <Paper
        withBorder
        p="md"
        data-testid="attachment-dropzone"
        style={{
          borderStyle: "dashed",
          borderColor: over ? "var(--mantine-color-blue-filled)" : undefined,
          background: over ? "var(--mantine-color-blue-light)" : undefined,
        }}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <Group justify="center" gap="sm">
          <Text size="sm" c="dimmed">
            Drop files here, or
          </Text>
          <FileButton onChange={take} multiple>
            {(props) => (
              <Button {...props} variant="default" size="xs" loading={send.isPending}>
                Choose files
              </Button>
            )}
          </FileButton>
        </Group>
      </Paper>
      {send.isPending && (
        <Text size="sm" c="dimmed" aria-live="polite">
          Uploading…
        </Text>
      )}
      {send.error && <Alert color="red">{send.error.message}</Alert>}
      {error && (
        <Text size="sm" c="red">
          {error}
        </Text>
      )}
      {value.length > 0 && (
        <Stack component="ul" gap="xs" p={0} m={0} aria-label="Attachments">
          {value.map((a) => (
            <AttachmentItem
              key={a.hash}
              a={a}
              onRemove={() => onChange((prev) => prev.filter((p) => p.hash !== a.hash))}
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}
