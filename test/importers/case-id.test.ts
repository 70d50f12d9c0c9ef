import { describe, expect, it } from "vitest";
import { extractCaseIds, idsFromValue } from "../../src/importers/case-id.js";

describe("case ids in test names", () => {
  it.each([
    ["[SHOP-12] logs in", [12], "logs in"],
    ["SHOP-12: logs in", [12], "logs in"],
    ["logs in shop-7", [7], "logs in"],
    ["[48271] should login", [48271], "should login"],
    ["login [48271] should work", [48271], "login should work"],
    ["logs in (Qase ID: 4, 5)", [4, 5], "logs in"],
    ["test_x[1]", [], "test_x[1]"],
    ["returns HTTP-200 for SHOPPING-1", [], "returns HTTP-200 for SHOPPING-1"],
    ["XSHOP-3 is another project", [], "XSHOP-3 is another project"],
  ])("%s", (title, ids, rest) => {
    expect(extractCaseIds(title, "SHOP")).toEqual({ ids, title: rest });
  });

  it("reads property values", () => {
    expect(idsFromValue("12, SHOP-13 x")).toEqual([12, 13]);
  });
});
