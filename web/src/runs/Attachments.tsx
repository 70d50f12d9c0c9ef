import { Anchor, Group, Image, Stack, Text } from "@mantine/core";
import type { AttachmentRef } from "./types";

/** Formats the browser shows inline; others (SVG among them, which may carry script) are links only. */
const INLINE_IMAGES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
]);

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The same-origin download route, whatever base URL the server put in `url`: it checks the session's
 * rights on every request, so an <img> never shows a file its viewer may not read.
 */
export function downloadUrl(a: AttachmentRef): string {
  return `/v1/attachment/${encodeURIComponent(a.hash)}/download`;
}

/** A result's or step's attachments: screenshots inline (click for full size), other files as links. */
export function Attachments({ items, label }: { items: AttachmentRef[]; label: string }) {
  if (items.length === 0) return null;
  const images = items.filter((a) => INLINE_IMAGES.has(a.mime.toLowerCase()));
  const files = items.filter((a) => !INLINE_IMAGES.has(a.mime.toLowerCase()));
  return (
    <Stack gap={4} role="group" aria-label={label}>
      {images.length > 0 && (
        <Group gap="xs" align="flex-start">
          {images.map((a) => (
            <Anchor key={a.hash} href={downloadUrl(a)} target="_blank" rel="noopener" title={a.filename}>
              <Image
                src={downloadUrl(a)}
                alt={a.filename}
                loading="lazy"
                h={120}
                w="auto"
                maw="100%"
                fit="contain"
                radius="sm"
                style={{ border: "1px solid var(--mantine-color-gray-3)" }}
              />
            </Anchor>
          ))}
        </Group>
      )}
      {files.map((a) => (
        <Text size="sm" key={a.hash}>
          <Anchor href={downloadUrl(a)} target="_blank" rel="noopener">
            {a.filename}
          </Anchor>{" "}
          <Text span size="xs" c="dimmed">
            {a.mime}, {formatSize(a.size)}
          </Text>
        </Text>
      ))}
    </Stack>
  );
}
