import { Badge, Text } from "@mantine/core";
import { enumOption } from "./data";
import type { CaseEnum, SystemField } from "./types";

/** An enum value by its title from GET /v1/system_field, tinted with the option's colour when it has one. */
export function EnumBadge({
  fields,
  slug,
  id,
}: {
  fields: SystemField[] | undefined;
  slug: CaseEnum;
  id: number;
}) {
  const option = enumOption(fields, slug, id);
  if (!option) return <Text size="sm">{fields ? `unknown (${id})` : ""}</Text>;
  if (!option.color) return <Text size="sm">{option.title}</Text>;
  return (
    // A dot of the option's colour beside dark text: any colour an admin picks stays readable (WCAG AA).
    // At its full width: a table column must not squeeze a short value to "C…".
    <Badge variant="dot" color={option.color} radius="sm" tt="none" miw="max-content">
      {option.title}
    </Badge>
  );
}
