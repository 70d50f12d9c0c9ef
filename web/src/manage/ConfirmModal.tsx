import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";

/** "Are you sure?" for one destructive call; the dialog stays open with the API's words if it fails. */
export function ConfirmModal({
  title,
  children,
  confirmLabel,
  action,
  onClose,
  onDone,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  action(): Promise<unknown>;
  onClose(): void;
  onDone(): void;
}) {
  const run = useMutation({ mutationFn: action, onSuccess: onDone });
  return (
    <Modal opened onClose={onClose} title={title}>
      <Stack>
        {run.error && <Alert color="red">{run.error.message}</Alert>}
        <Text size="sm" component="div">
          {children}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" loading={run.isPending} onClick={() => run.mutate()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
