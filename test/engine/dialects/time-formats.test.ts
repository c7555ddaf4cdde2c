import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fromStrftime, toStrftime } from "../../../engine/src/dialects/time-formats.js";

describe("date formats between strftime, Snowflake and Databricks", () => {
  it("translate the numeric fields and the separators, each way", () => {
    assert.equal(fromStrftime("%Y-%m-%d %H:%M:%S.%f", "snowflake"), "YYYY-MM-DD HH24:MI:SS.FF6");
    assert.equal(fromStrftime("%Y-%m-%d %H:%M:%S.%f", "databricks"), "yyyy-MM-dd HH:mm:ss.SSSSSS");
    assert.equal(fromStrftime("%y/%m/%d", "snowflake"), "YY/MM/DD");
    assert.equal(toStrftime("YYYY-MM-DD HH24:MI:SS.FF6", "snowflake"), "%Y-%m-%d %H:%M:%S.%f");
    assert.equal(toStrftime("yyyy-mm-dd", "snowflake"), "%Y-%m-%d", "Snowflake reads its elements in any case");
    assert.equal(toStrftime("yyyy-MM-dd HH:mm:ss.SSSSSS", "databricks"), "%Y-%m-%d %H:%M:%S.%f");
    assert.equal(toStrftime("yyyy-mm-dd", "databricks"), "%Y-%M-%d", "in a Java pattern mm is minutes");
    for (const f of ["%Y%m%d", "%H:%M", "%d.%m.%y"]) {
      assert.equal(toStrftime(fromStrftime(f, "snowflake") as string, "snowflake"), f);
      assert.equal(toStrftime(fromStrftime(f, "databricks") as string, "databricks"), f);
    }
  });
  it("give nothing for what they do not translate exactly: names, 12-hour clocks, letters, empty formats", () => {
    for (const f of ["%b %Y", "%A", "%I:%M %p", "%Y-%m-%dT%H", "%j", "week %W", ""]) assert.equal(fromStrftime(f, "snowflake"), undefined, f);
    for (const f of ["MON YYYY", "HH12", "YYYY\"T\"HH24", "DY"]) assert.equal(toStrftime(f, "snowflake"), undefined, f);
    for (const f of ["EEE", "yyyy'T'HH", "MMM"]) assert.equal(toStrftime(f, "databricks"), undefined, f);
  });
});
