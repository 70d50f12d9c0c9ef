import { Fragment } from "react";

/** After dots, slashes, colons and underscores, and inside camelCase words: where a long name can wrap. */
const BREAK = /(?<=[./\\:_])|(?<=[a-z0-9])(?=[A-Z])/;

/**
 * A long name that wraps after its separators ("com.shop.checkout.PaymentTest" breaks after each dot)
 * rather than widening its column or being cut to a prefix that many names share.
 */
export function WrappingName({ text }: { text: string }) {
  const parts = text.split(BREAK);
  return (
    // "anywhere" as a last resort: a name with no break at all still never widens the table.
    <span style={{ overflowWrap: "anywhere" }}>
      {parts.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {p}
        </Fragment>
      ))}
    </span>
  );
}
