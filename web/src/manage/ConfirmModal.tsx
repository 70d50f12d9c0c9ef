import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";

/**
 * "Are you sure?" for one call, most often a destructive one; the dialog stays open with the API's words
 * if it fails.
 */
export function ConfirmModal({
  title,
  children,
  confirmLabel,
  color = "red",
  errorView = (error) => <Alert color="red">{error.message}</Alert>,
  action,
  onClose,
  onDone,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The confirm button's colour: red unless the call is not destructive. */
  color?: string;
  /** How a failed call is explained; the API's message by default. */
  errorView?(error: Error): ReactNode;
  action(): Promise<unknown>;
  onClose(): void;
  onDone(): void;
}) {
  const run = useMutation({ mutationFn: action, onSuccess: onDone });
  return (
    <Modal opened onClose={onClose} title={title}>
      <Stack>
        {run.error && errorView(run.error)}
        <Text size="sm" component="div">
          {children}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={color} loading={run.isPending} onClick={() => run.mutate()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
