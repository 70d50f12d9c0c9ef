import { Badge, Box, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { AttachmentList } from "./CaseAttachments";
import { CustomFieldValues } from "./CustomFields";
import { enumField, formatTime } from "./data";
import { EnumBadge } from "./EnumBadge";
import { CASE_ENUMS, type CustomField, type Step, type SystemField, type TestCase } from "./types";

function Section({ title, text }: { title: string; text: string | null }) {
  return (
    <section aria-label={title}>
      <Title order={4} mb={4}>
        {title}
      </Title>
      {text ? (
        <Text style={{ whiteSpace: "pre-wrap" }}>{text}</Text>
      ) : (
        <Text c="dimmed" size="sm">
          None
        </Text>
      )}
    </section>
  );
}

function StepItem({ step, number }: { step: Step; number: string }) {
  return (
    <Box component="li" style={{ listStyle: "none" }} aria-label={`Step ${number}`}>
      <Paper withBorder p="sm" mb="xs">
        <Group gap="sm" align="flex-start" wrap="nowrap">
          <Badge variant="outline" radius="sm" style={{ flexShrink: 0 }}>
            {number}
          </Badge>
          <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
            <Text style={{ whiteSpace: "pre-wrap" }}>
              {step.action || (step.shared_step_hash ? `Shared step ${step.shared_step_hash}` : "")}
            </Text>
            {step.data && (
              <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                <Text span fw={600} size="sm">
                  Data:{" "}
                </Text>
                {step.data}
              </Text>
            )}
            {step.expected_result && (
              <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                <Text span fw={600} size="sm">
                  Expected result:{" "}
                </Text>
                {step.expected_result}
              </Text>
            )}
          </Stack>
        </Group>
        {step.steps.length > 0 && <StepList steps={step.steps} prefix={`${number}.`} />}
      </Paper>
    </Box>
  );
}

function StepList({ steps, prefix }: { steps: Step[]; prefix: string }) {
  return (
    <Box component="ol" p={0} m={0} mt="xs" pl={prefix ? "md" : 0}>
      {steps.map((s, i) => (
        <StepItem key={s.hash || i} step={s} number={`${prefix}${i + 1}`} />
      ))}
    </Box>
  );
}

/** Every field of a case, enums by their titles from the server; used for the live case and old versions. */
export function CaseView({
  testCase,
  fields,
  customFields,
  suitePath,
}: {
  testCase: TestCase;
  fields: SystemField[] | undefined;
  /** The project's case fields; without them custom values are not shown. */
  customFields?: CustomField[] | undefined;
  suitePath: string | null;
}) {
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="sm" verticalSpacing="sm">
        <div>
          <Text size="xs" c="dimmed">
            Suite
          </Text>
          <Text size="sm">{suitePath ?? "No suite"}</Text>
        </div>
        {CASE_ENUMS.map((slug) => (
          <div key={slug} data-testid={`field-${slug}`}>
            <Text size="xs" c="dimmed">
              {enumField(fields, slug)?.title ?? slug}
            </Text>
            <EnumBadge fields={fields} slug={slug} id={testCase[slug]} />
          </div>
        ))}
        <div>
          <Text size="xs" c="dimmed">
            Flaky
          </Text>
          <Text size="sm">{testCase.is_flaky ? "Yes" : "No"}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            Created
          </Text>
          <Text size="sm">{formatTime(testCase.created_at)}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            Updated
          </Text>
          <Text size="sm">{formatTime(testCase.updated_at)}</Text>
        </div>
      </SimpleGrid>
      <div>
        <Text size="xs" c="dimmed">
          Tags
        </Text>
        {testCase.tags.length > 0 ? (
          <Group gap={6} aria-label="Tags">
            {testCase.tags.map((t) => (
              <Badge key={t.title} variant="light" radius="sm" tt="none">
                {t.title}
              </Badge>
            ))}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            None
          </Text>
        )}
      </div>
      {customFields && <CustomFieldValues fields={customFields} values={testCase.custom_fields ?? []} />}
      <Section title="Description" text={testCase.description} />
      <Section title="Preconditions" text={testCase.preconditions} />
      <Section title="Postconditions" text={testCase.postconditions} />
      <section aria-label="Attachments">
        <Title order={4} mb={4}>
          Attachments
        </Title>
        <AttachmentList attachments={testCase.attachments ?? []} />
      </section>
      <section aria-label="Steps">
        <Title order={4} mb={4}>
          Steps{testCase.steps_type === "gherkin" ? " (Gherkin)" : ""}
        </Title>
        {testCase.steps.length > 0 ? (
          <StepList steps={testCase.steps} prefix="" />
        ) : (
          <Text c="dimmed" size="sm">
            No steps
          </Text>
        )}
      </section>
    </Stack>
  );
}
