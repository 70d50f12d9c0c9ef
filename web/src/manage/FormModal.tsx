import { Alert, Button, Modal, Stack } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * A dialog holding one form: the API's error message on top (field errors go next to their fields, given
 * by the caller), the fields, and one submit button.
 */
export function FormModal({
  title,
  onClose,
  onSubmit,
  error,
  submitLabel,
  pending,
  size,
  children,
}: {
  title: ReactNode;
  onClose: () => void;
  onSubmit: () => void;
  error: Error | null;
  submitLabel: ReactNode;
  pending: boolean;
  /** Mantine's modal size; forms with nested lists need more room than the default. */
  size?: string;
  children: ReactNode;
}) {
  return (
    <Modal opened onClose={onClose} title={title} size={size}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <Stack>
          {error && <Alert color="red">{error.message}</Alert>}
          {children}
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
