import { QqlError } from "./qql.errors.js";
import { describeToken, type Operator, type Token, tokenize } from "./qql.lexer.js";

/** A literal or a function call on the right of a condition. */
export type Value =
  | { kind: "string"; value: string; pos: number }
  | { kind: "number"; value: number; pos: number }
  | { kind: "bool"; value: boolean; pos: number }
  | { kind: "call"; name: string; args: Value[]; pos: number };

export interface FieldRef {
  name: string;
  pos: number;
}

export type Expr =
  | { kind: "and" | "or"; items: Expr[] }
  | { kind: "not"; item: Expr }
  | { kind: "compare"; field: FieldRef; op: Operator; value: Value }
  | { kind: "in"; field: FieldRef; negated: boolean; values: Value[] }
  | { kind: "empty"; field: FieldRef; negated: boolean }
  | { kind: "is"; field: FieldRef; negated: boolean; value: boolean; pos: number };

export interface OrderItem {
  field: FieldRef;
  desc: boolean;
}

export interface Query {
  where: Expr;
  orderBy: OrderItem[];
}

const MAX_DEPTH = 32;
const MAX_LIST = 500;
const RESERVED = new Set(["and", "or", "not", "in", "is", "order", "by", "null", "empty", "true", "false"]);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  /** True (and consumed) when the next token is the keyword, case-insensitively. */
  private keyword(word: string): boolean {
    const t = this.peek();
    if (t.kind === "ident" && t.value.toLowerCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private expectKeyword(word: string, what: string) {
    if (!this.keyword(word)) this.fail(`expected ${what} but found ${describeToken(this.peek())}`);
  }

  private punct(p: string): boolean {
    const t = this.peek();
    if (t.kind === "punct" && t.value === p) {
      this.i++;
      return true;
    }
    return false;
  }

  private fail(problem: string, pos = this.peek().pos): never {
    throw new QqlError(pos, problem);
  }

  parse(): Query {
    const first = this.peek();
    if (first.kind === "ident" && ["select", "group"].includes(first.value.toLowerCase())) {
      this.fail(`${first.value.toUpperCase()} aggregation is not supported; use a filtering query`);
    }
    const where = this.orExpr();
    const orderBy: OrderItem[] = [];
    if (this.keyword("order")) {
      this.expectKeyword("by", '"by" after "order"');
      do orderBy.push(this.orderItem());
      while (this.punct(","));
    }
    const rest = this.peek();
    if (rest.kind !== "end") {
      const hint = rest.kind === "ident" || rest.kind === "string" ? ' (missing "and" or "or"?)' : "";
      this.fail(`unexpected ${describeToken(rest)}${hint}`);
    }
    return { where, orderBy };
  }

  private orderItem(): OrderItem {
    const field = this.field();
    if (this.keyword("desc")) return { field, desc: true };
    this.keyword("asc");
    return { field, desc: false };
  }

  private orExpr(): Expr {
    const items = [this.andExpr()];
    while (this.keyword("or")) items.push(this.andExpr());
    return items.length === 1 ? (items[0] as Expr) : { kind: "or", items };
  }

  private andExpr(): Expr {
    const items = [this.unary()];
    while (this.keyword("and")) items.push(this.unary());
    return items.length === 1 ? (items[0] as Expr) : { kind: "and", items };
  }

  private unary(): Expr {
    if (++this.depth > MAX_DEPTH) this.fail(`conditions are nested more than ${MAX_DEPTH} levels deep`);
    try {
      if (this.keyword("not")) return { kind: "not", item: this.unary() };
      const open = this.peek();
      if (this.punct("(")) {
        const inner = this.orExpr();
        if (!this.punct(")")) this.fail(`expected ")" to close "(" at position ${open.pos}`);
        return inner;
      }
      return this.condition();
    } finally {
      this.depth--;
    }
  }

  private field(): FieldRef {
    const t = this.peek();
    if (t.kind !== "ident" || RESERVED.has(t.value.toLowerCase())) {
      this.fail(`expected a field name but found ${describeToken(t)}`);
    }
    this.i++;
    if (this.peek().kind === "punct" && (this.peek() as { value: string }).value === "[") {
      this.fail(`custom fields (${t.value}[...]) are not supported`);
    }
    return { name: t.value, pos: t.pos };
  }

  private condition(): Expr {
    const field = this.field();
    const t = this.peek();
    if (t.kind === "op") {
      this.i++;
      return { kind: "compare", field, op: t.value, value: this.value(`after "${t.value}"`) };
    }
    if (this.keyword("is")) {
      const negated = this.keyword("not");
      const v = this.peek();
      if (this.keyword("null") || this.keyword("empty")) return { kind: "empty", field, negated };
      if (this.keyword("true") || this.keyword("false")) {
        return {
          kind: "is",
          field,
          negated,
          value: (v as { value: string }).value.toLowerCase() === "true",
          pos: v.pos,
        };
      }
      this.fail(
        `expected null, empty, true or false after "is${negated ? " not" : ""}" but found ${describeToken(v)}`,
      );
    }
    const negated = this.keyword("not");
    if (this.keyword("in")) return { kind: "in", field, negated, values: this.list() };
    if (negated) this.fail(`expected "in" after "not" but found ${describeToken(this.peek())}`);
    this.fail(
      `expected an operator (= != > >= < <= ~ !~ in, not in, is) after ${field.name} but found ${describeToken(t)}`,
    );
  }

  private list(): Value[] {
    const open = this.peek();
    const close = this.punct("(") ? ")" : this.punct("[") ? "]" : null;
    if (close === null)
      this.fail(`expected "(" to start the list after "in" but found ${describeToken(open)}`);
    const values: Value[] = [];
    do {
      if (values.length >= MAX_LIST) this.fail(`a list may hold at most ${MAX_LIST} values`);
      values.push(this.value("in the list"));
    } while (this.punct(","));
    if (!this.punct(close))
      this.fail(`expected "," or "${close}" in the list opened at position ${open.pos}`);
    return values;
  }

  private value(where: string): Value {
    const t = this.peek();
    if (t.kind === "string") {
      this.i++;
      return { kind: "string", value: t.value, pos: t.pos };
    }
    if (t.kind === "number") {
      this.i++;
      return { kind: "number", value: t.value, pos: t.pos };
    }
    if (t.kind === "ident") {
      const word = t.value.toLowerCase();
      if (word === "true" || word === "false") {
        this.i++;
        return { kind: "bool", value: word === "true", pos: t.pos };
      }
      if (!RESERVED.has(word)) {
        this.i++;
        if (!this.punct("(")) {
          this.fail(
            `expected a value ${where} but found ${describeToken(t)}; quote text values: "${t.value}"`,
            t.pos,
          );
        }
        const args: Value[] = [];
        if (!this.punct(")")) {
          do args.push(this.value(`as an argument of ${t.value}()`));
          while (this.punct(","));
          if (!this.punct(")")) this.fail(`expected ")" to close ${t.value}(`);
        }
        return { kind: "call", name: t.value, args, pos: t.pos };
      }
    }
    this.fail(`expected a value ${where} but found ${describeToken(t)}`);
  }
}

/** Parses a QQL query; throws QqlError naming the position and the problem. */
export function parseQql(query: string): Query {
  return new Parser(tokenize(query)).parse();
}
