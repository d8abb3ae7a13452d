package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.Json;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.ReferenceFile;
import dev.wiz.processor.Referencing;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code lookup}: a join of each record against a table read once from a file, on jimfs. */
class LookupTest {
  private static final LookupFactory LOOKUP = new LookupFactory();
  private static final String USERS_CSV = "id,name,country\n1,Ada,UK\n2,Linus,FI\n3,Grace,US\n";
  private static final String USERS_JSONL = "{\"id\":1,\"name\":\"Ada\",\"country\":\"UK\"}\n"
      + "{\"id\":2.0,\"name\":\"Linus\",\"country\":\"FI\"}\n{\"id\":\"3\",\"name\":\"Grace\",\"country\":\"US\"}\n";

  private FileSystem fs;
  private Path dir;
  private ProcessorSetup setup;

  @BeforeEach
  void files() throws Exception {
    fs = Jimfs.newFileSystem(Configuration.unix());
    dir = Files.createDirectories(fs.getPath("/pipes"));
    Files.createDirectories(dir.resolve("data"));
    write("data/users.csv", USERS_CSV);
    write("data/users.jsonl", USERS_JSONL);
    setup = new ProcessorSetup(dir, v -> null);
  }

  @AfterEach
  void close() throws Exception {
    fs.close();
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  /** The output records, as a sink writes them; rejections go to {@code ctx}. */
  private List<String> run(String config, Harness.Ctx ctx, String... records) throws Exception {
    Supplier<Processor> instances = LOOKUP.prepare(Harness.json(config), setup);
    List<JsonNode> in = Harness.records(records);
    List<JsonNode> before = new ArrayList<>();
    for (JsonNode r : in) before.add(r.deepCopy());
    try (Processor p = instances.get()) {
      p.init(ctx);
      Chunk out = p.process(new Chunk("c", 0, in, 0));
      assertEquals(before, in, "the input records are not modified");
      return Harness.strings(out.records());
    }
  }

  private String prepareProblem(String config) {
    ProcessorException e = assertThrows(ProcessorException.class, () -> LOOKUP.prepare(Harness.json(config), setup));
    assertEquals("/file", e.pointer(), e.getMessage());
    return e.getMessage();
  }

  @Test
  void intoPutsTheMatchedFieldsUnderAFieldAddedAfterTheRecordsOwn() throws Exception {
    Harness.Ctx ctx = new Harness.Ctx();
    List<String> out = run("{\"file\":\"data/users.csv\",\"format\":\"csv\",\"key\":\".user\",\"fileKey\":\".id\","
        + "\"into\":\"u\",\"fields\":[\"name\",\"country\",\"missing\"]}", ctx,
        "{\"order\":1,\"user\":\"2\",\"u\":0,\"z\":true}", "{\"order\":2,\"user\":\"1\"}");
    assertEquals(List.of("{\"order\":1,\"user\":\"2\",\"u\":{\"name\":\"Linus\",\"country\":\"FI\"},\"z\":true}",
        "{\"order\":2,\"user\":\"1\",\"u\":{\"name\":\"Ada\",\"country\":\"UK\"}}"), out);
    assertEquals(List.of(), ctx.rejected);
  }

  @Test
  void intoWithoutFieldsPutsTheWholeMatchedRecord() throws Exception {
    List<String> out = run("{\"file\":\"data/users.jsonl\",\"key\":\".user\",\"fileKey\":\".id\",\"into\":\"u\"}",
        new Harness.Ctx(), "{\"user\":1}");
    assertEquals(List.of("{\"user\":1,\"u\":{\"id\":1,\"name\":\"Ada\",\"country\":\"UK\"}}"), out);
  }

  @Test
  void mergingAddsTheMissingFieldsInTheFileRecordsOrderAndKeepsTheRecordsOwnValues() throws Exception {
    List<String> out = run("{\"file\":\"data/users.csv\",\"format\":\"csv\",\"key\":\".id\"}", new Harness.Ctx(),
        "{\"name\":\"mine\",\"id\":\"3\",\"amount\":5}", "{\"id\":\"9\"}");
    assertEquals(List.of("{\"name\":\"mine\",\"id\":\"3\",\"amount\":5,\"country\":\"US\"}", "{\"id\":\"9\"}"), out);
  }

  @Test
  void eachRecordOfTheFileKeepsItsOwnFieldsOrderAndValuesThoughRowsShareTheirNames() throws Exception {
    // Rows with the names of the row before share them; others (same count, another order) do not.
    write("data/mixed.jsonl", "{\"id\":1,\"a\":\"x\",\"b\":2}\n{\"id\":2,\"a\":\"y\",\"b\":null}\n"
        + "{\"id\":3,\"b\":[1,\"z\"],\"a\":{\"n\":1.50}}\n{\"id\":4,\"c\":true}\n{\"id\":5,\"a\":\"\",\"b\":0}\n");
    String[] in = {"{\"k\":1}", "{\"k\":2}", "{\"k\":3}", "{\"k\":4}", "{\"k\":5}", "{\"k\":1,\"a\":\"own\"}"};
    assertEquals(List.of("{\"k\":1,\"id\":1,\"a\":\"x\",\"b\":2}", "{\"k\":2,\"id\":2,\"a\":\"y\",\"b\":null}",
        "{\"k\":3,\"id\":3,\"b\":[1,\"z\"],\"a\":{\"n\":1.50}}", "{\"k\":4,\"id\":4,\"c\":true}",
        "{\"k\":5,\"id\":5,\"a\":\"\",\"b\":0}", "{\"k\":1,\"a\":\"own\",\"id\":1,\"b\":2}"),
        run("{\"file\":\"data/mixed.jsonl\",\"key\":\".k\",\"fileKey\":\".id\"}", new Harness.Ctx(), in));
    assertEquals(List.of("{\"k\":3,\"m\":{\"id\":3,\"b\":[1,\"z\"],\"a\":{\"n\":1.50}}}", "{\"k\":4,\"m\":{\"id\":4,\"c\":true}}"),
        run("{\"file\":\"data/mixed.jsonl\",\"key\":\".k\",\"fileKey\":\".id\",\"into\":\"m\"}", new Harness.Ctx(), in[2], in[3]));
  }

  @Test
  void keysCompareAsJsonValuesByDefaultSoANumberIsNotItsText() throws Exception {
    Harness.Ctx ctx = new Harness.Ctx();
    // users.jsonl has 1, 2.0 and "3": 1.0 and 2 match by value; 3 (a number) and "1" (a string) do not.
    List<String> out = run("{\"file\":\"data/users.jsonl\",\"key\":\".u\",\"fileKey\":\".id\",\"into\":\"n\","
        + "\"fields\":[\"name\"],\"unmatched\":\"reject\"}", ctx,
        "{\"u\":1.0}", "{\"u\":2}", "{\"u\":3}", "{\"u\":\"1\"}", "{\"u\":\"3\"}", "{\"u\":1e0}");
    assertEquals(List.of("{\"u\":1.0,\"n\":{\"name\":\"Ada\"}}", "{\"u\":2,\"n\":{\"name\":\"Linus\"}}",
        "{\"u\":\"3\",\"n\":{\"name\":\"Grace\"}}", "{\"u\":1e0,\"n\":{\"name\":\"Ada\"}}"), out);
    assertEquals(List.of(
        "{\"u\":3} lookup: no record of data/users.jsonl has the key 3 (key .u); the key 3 is a number and"
            + " data/users.jsonl has it as a string, which are different keys: set keyAs: string to compare keys by their text",
        "{\"u\":\"1\"} lookup: no record of data/users.jsonl has the key \"1\" (key .u); the key \"1\" is a string and"
            + " data/users.jsonl has it as a number, which are different keys: set keyAs: string to compare keys by their text"),
        ctx.rejected);
  }

  @Test
  void theKeyAsHintIsGivenOnlyWhereKeyAsStringWouldMatch() throws Exception {
    // it told to set keyAs: string for "1.0" and " 1" against the file's 1, which that does not match either
    Harness.Ctx ctx = new Harness.Ctx();
    List<String> out = run("{\"file\":\"data/users.jsonl\",\"key\":\".u\",\"fileKey\":\".id\",\"unmatched\":\"reject\"}",
        ctx, "{\"u\":\"1.0\"}", "{\"u\":\" 1\"}", "{\"u\":\"1e0\"}", "{\"u\":\"01\"}", "{\"u\":\"-\"}");
    assertEquals(List.of(), out);
    assertEquals(List.of("{\"u\":\"1.0\"} lookup: no record of data/users.jsonl has the key \"1.0\" (key .u)",
        "{\"u\":\" 1\"} lookup: no record of data/users.jsonl has the key \" 1\" (key .u)",
        "{\"u\":\"1e0\"} lookup: no record of data/users.jsonl has the key \"1e0\" (key .u)",
        "{\"u\":\"01\"} lookup: no record of data/users.jsonl has the key \"01\" (key .u)",
        "{\"u\":\"-\"} lookup: no record of data/users.jsonl has the key \"-\" (key .u)"), ctx.rejected);
  }

  @Test
  void keyAsStringComparesNumbersByTheirTextAsMillerDoes() throws Exception {
    Harness.Ctx ctx = new Harness.Ctx();
    List<String> out = run("{\"file\":\"data/users.csv\",\"format\":\"csv\",\"key\":\".u\",\"fileKey\":\".id\","
        + "\"keyAs\":\"string\",\"into\":\"n\",\"fields\":[\"name\"],\"unmatched\":\"reject\"}", ctx,
        "{\"u\":1}", "{\"u\":\"2\"}", "{\"u\":1.0}", "{\"u\":true}");
    assertEquals(List.of("{\"u\":1,\"n\":{\"name\":\"Ada\"}}", "{\"u\":\"2\",\"n\":{\"name\":\"Linus\"}}"), out);
    assertEquals(List.of("{\"u\":1.0} lookup: no record of data/users.csv has the key 1.0 (key .u)",
        "{\"u\":true} lookup: no record of data/users.csv has the key true (key .u)"), ctx.rejected);
  }

  @Test
  void aKeyOfSeveralFieldsIsAnArrayAndWithKeyAsStringItsNumbersAreText() throws Exception {
    write("data/cities.jsonl", "{\"c\":\"FR\",\"zip\":\"75001\",\"city\":\"Paris\"}\n{\"c\":\"FR\",\"zip\":\"69001\",\"city\":\"Lyon\"}\n");
    List<String> out = run("{\"file\":\"data/cities.jsonl\",\"key\":\"[.country, .zip]\",\"fileKey\":\"[.c, .zip]\","
        + "\"keyAs\":\"string\",\"fields\":[\"city\"]}", new Harness.Ctx(),
        "{\"country\":\"FR\",\"zip\":69001}", "{\"country\":\"DE\",\"zip\":69001}");
    assertEquals(List.of("{\"country\":\"FR\",\"zip\":69001,\"city\":\"Lyon\"}", "{\"country\":\"DE\",\"zip\":69001}"), out);
  }

  @Test
  void aCsvFileWithAnotherDelimiterIsReadWithIt() throws Exception {
    write("data/users.tsv", "id\tname\n1\tAda, Countess\n");
    assertEquals(List.of("{\"id\":\"1\",\"name\":\"Ada, Countess\"}"), run("{\"file\":\"data/users.tsv\",\"format\":\"csv\","
        + "\"delimiter\":\"\\t\",\"key\":\".id\"}", new Harness.Ctx(), "{\"id\":\"1\"}"));
  }

  @Test
  void unmatchedKeepsDropsOrRejectsAndARecordWithoutAKeyIsUnmatched() throws Exception {
    String base = "{\"file\":\"data/users.csv\",\"format\":\"csv\",\"key\":\".id\",\"fields\":[\"name\"],\"unmatched\":";
    String[] in = {"{\"id\":\"1\"}", "{\"id\":\"7\"}", "{\"other\":1}"};
    Harness.Ctx keep = new Harness.Ctx();
    assertEquals(List.of("{\"id\":\"1\",\"name\":\"Ada\"}", "{\"id\":\"7\"}", "{\"other\":1}"), run(base + "\"keep\"}", keep, in));
    Harness.Ctx drop = new Harness.Ctx();
    assertEquals(List.of("{\"id\":\"1\",\"name\":\"Ada\"}"), run(base + "\"drop\"}", drop, in));
    assertEquals(List.of(), drop.rejected);
    Harness.Ctx reject = new Harness.Ctx();
    assertEquals(List.of("{\"id\":\"1\",\"name\":\"Ada\"}"), run(base + "\"reject\"}", reject, in));
    assertEquals(List.of("{\"id\":\"7\"} lookup: no record of data/users.csv has the key \"7\" (key .id)",
        "{\"other\":1} lookup: the record has no key (key .id is null)"), reject.rejected);
  }

  @Test
  void aRecordThatIsNoObjectOrWhoseKeyFailsOrIsSeveralValuesIsRejected() throws Exception {
    Harness.Ctx ctx = new Harness.Ctx();
    List<String> out = run("{\"file\":\"data/users.csv\",\"format\":\"csv\",\"key\":\".ids[]\",\"fileKey\":\".id\"}", ctx,
        "[1]", "{\"ids\":5}", "{\"ids\":[\"1\",\"2\"]}", "{\"ids\":[\"1\"]}");
    assertEquals(List.of("{\"ids\":[\"1\"],\"id\":\"1\",\"name\":\"Ada\",\"country\":\"UK\"}"), out);
    assertEquals(List.of("[1] lookup: the record is an array, not an object",
        "{\"ids\":5} lookup: key .ids[]: Cannot iterate over number (5)",
        "{\"ids\":[\"1\",\"2\"]} lookup: key .ids[] gives 2 values; a key is one value (several fields make one as an array: [.a, .b])"),
        ctx.rejected);
  }

  @Test
  void twoRecordsWithOneKeyAreAnErrorNamingBothLinesUnlessDuplicatesSaysWhichToKeep() throws Exception {
    write("data/dup.jsonl", "{\"id\":1,\"v\":\"a\"}\n{\"id\":2,\"v\":\"b\"}\n\n{\"id\":1.0,\"v\":\"c\"}\n");
    assertEquals("lookup file data/dup.jsonl:4: the key 1.0 is also the key of line 1: remove one, or say which to keep"
        + " with duplicates: first or duplicates: last", prepareProblem("{\"file\":\"data/dup.jsonl\",\"key\":\".id\"}"));
    String base = "{\"file\":\"data/dup.jsonl\",\"key\":\".id\",\"fields\":[\"v\"],\"duplicates\":";
    assertEquals(List.of("{\"id\":1,\"v\":\"a\"}"), run(base + "\"first\"}", new Harness.Ctx(), "{\"id\":1}"));
    assertEquals(List.of("{\"id\":1,\"v\":\"c\"}"), run(base + "\"last\"}", new Harness.Ctx(), "{\"id\":1}"));
  }

  @Test
  void duplicatesAllGivesOneRecordPerMatchInFileOrderOrAnArrayOfEveryMatchUnderInto() throws Exception {
    write("data/many.jsonl", "{\"id\":1,\"v\":\"a\"}\n{\"id\":2,\"v\":\"b\"}\n{\"id\":1.0,\"v\":\"c\"}\n"
        + "{\"id\":3,\"w\":0}\n{\"id\":1,\"v\":\"d\",\"x\":true}\n");
    String base = "{\"file\":\"data/many.jsonl\",\"key\":\".k\",\"fileKey\":\".id\",\"duplicates\":\"all\"";
    String[] in = {"{\"k\":1,\"v\":\"own\"}", "{\"k\":2}", "{\"k\":9}"};
    assertEquals(List.of("{\"k\":1,\"v\":\"own\",\"id\":1}", "{\"k\":1,\"v\":\"own\",\"id\":1.0}",
        "{\"k\":1,\"v\":\"own\",\"id\":1,\"x\":true}", "{\"k\":2,\"id\":2,\"v\":\"b\"}", "{\"k\":9}"),
        run(base + "}", new Harness.Ctx(), in));
    assertEquals(List.of("{\"k\":1,\"v\":\"own\",\"m\":[{\"v\":\"a\"},{\"v\":\"c\"},{\"v\":\"d\"}]}",
        "{\"k\":2,\"m\":[{\"v\":\"b\"}]}", "{\"k\":3,\"m\":[{}]}"),
        run(base + ",\"into\":\"m\",\"fields\":[\"v\"],\"unmatched\":\"drop\"}", new Harness.Ctx(), in[0], in[1], "{\"k\":3}", in[2]));
    Referencing refs = (Referencing) LOOKUP.prepare(Harness.json(base + "}"), setup);
    assertEquals(5, refs.references().get(0).records());
  }

  @Test
  void aBadLookupFileStopsThePrepareNamingItsLine() throws Exception {
    write("data/bad.jsonl", "{\"id\":1}\n{\"id\":2,}\n");
    assertEquals("lookup file data/bad.jsonl:2:8: a trailing comma before '}': JSON allows none, remove it; fix the line,"
        + " then run again", prepareProblem("{\"file\":\"data/bad.jsonl\",\"key\":\".id\"}"));
    write("data/nokey.jsonl", "{\"id\":1}\n{\"name\":\"x\"}\n");
    assertEquals("lookup file data/nokey.jsonl:2: the record has no key (fileKey .id is null): every record of a lookup"
        + " file needs one; remove the line or give it a key, or set fileKey if the file names it otherwise",
        prepareProblem("{\"file\":\"data/nokey.jsonl\",\"key\":\".id\"}"));
    write("data/scalar.jsonl", "{\"id\":1}\n7\n");
    assertEquals("lookup file data/scalar.jsonl:2: fileKey .id: Cannot index number with string \"id\"",
        prepareProblem("{\"file\":\"data/scalar.jsonl\",\"key\":\".id\"}"));
    write("data/values.jsonl", "[1,\"one\"]\n");
    assertEquals("lookup file data/values.jsonl:1: the record is an array, not an object: fields are merged from objects"
        + " only (with into and no fields, the value is put as it is)",
        prepareProblem("{\"file\":\"data/values.jsonl\",\"key\":\".[0]\"}"));
    assertEquals(List.of("{\"n\":1,\"v\":[1,\"one\"]}"),
        run("{\"file\":\"data/values.jsonl\",\"key\":\".n\",\"fileKey\":\".[0]\",\"into\":\"v\"}", new Harness.Ctx(), "{\"n\":1}"));
    assertEquals("lookup file no such file: 'data/none.csv' (looked for /pipes/data/none.csv)",
        prepareProblem("{\"file\":\"data/none.csv\",\"key\":\".id\"}"));
    assertEquals("lookup file 'data' is a folder: name the file to read", prepareProblem("{\"file\":\"data\",\"key\":\".id\"}"));
  }

  @Test
  void aFileWithoutRecordsIsRefusedUnlessEmptyAllowsItThenEveryRecordIsUnmatched() throws Exception {
    write("data/header.csv", "id,name\n");
    write("data/zero.jsonl", "");
    write("data/blank.jsonl", "\n\n");
    write("data/none.json", "[]");
    String advice = ": name the file that holds the table, or set empty: allow if a table without records is meant";
    assertEquals("lookup file data/header.csv holds no records (a header and no rows), so no record would match and"
        + " every one would pass unchanged" + advice,
        prepareProblem("{\"file\":\"data/header.csv\",\"format\":\"csv\",\"key\":\".id\"}"));
    assertEquals("lookup file data/zero.jsonl holds no records (0 bytes), so no record would match and every one would"
        + " be rejected" + advice, prepareProblem("{\"file\":\"data/zero.jsonl\",\"key\":\".id\",\"unmatched\":\"reject\"}"));
    assertEquals("lookup file data/blank.jsonl holds no records (no line holds a record), so no record would match and"
        + " every one would be dropped" + advice, prepareProblem("{\"file\":\"data/blank.jsonl\",\"key\":\".id\",\"unmatched\":\"drop\"}"));
    assertEquals("lookup file data/none.json holds no records (an empty array), so no record would match and every one"
        + " would pass unchanged" + advice, prepareProblem("{\"file\":\"data/none.json\",\"format\":\"json\",\"key\":\".id\"}"));

    String allowed = "{\"file\":\"data/header.csv\",\"format\":\"csv\",\"key\":\".id\",\"empty\":\"allow\"";
    assertEquals(List.of("{\"id\":\"1\"}"), run(allowed + "}", new Harness.Ctx(), "{\"id\":\"1\"}"));
    Harness.Ctx ctx = new Harness.Ctx();
    assertEquals(List.of(), run(allowed + ",\"unmatched\":\"reject\"}", ctx, "{\"id\":\"1\"}"));
    assertEquals(List.of("{\"id\":\"1\"} lookup: no record of data/header.csv has the key \"1\" (key .id)"), ctx.rejected);
    Referencing refs = (Referencing) LOOKUP.prepare(Harness.json(allowed + "}"), setup);
    assertEquals(0, refs.references().get(0).records(), "run.json and the summary say the table is empty");
  }

  @Test
  void theFileIsReadOnceAndNamedWithItsDigestForTheRun() throws Exception {
    Supplier<Processor> instances = LOOKUP.prepare(
        Harness.json("{\"file\":\"data/users.csv\",\"format\":\"csv\",\"key\":\".id\"}"), setup);
    assertTrue(instances instanceof Referencing, "the run learns which file it read");
    byte[] bytes = USERS_CSV.getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of(new ReferenceFile(null, "data/users.csv", "/pipes/data/users.csv", bytes.length, Json.digest(bytes), 3)),
        ((Referencing) instances).references());
    // Changed afterwards, the table the run prepared is what every instance uses.
    write("data/users.csv", "id,name\n1,Changed\n");
    Harness.Ctx ctx = new Harness.Ctx();
    try (Processor p = instances.get()) {
      p.init(ctx);
      assertEquals(List.of("{\"id\":\"1\",\"name\":\"Ada\",\"country\":\"UK\"}"),
          Harness.strings(p.process(new Chunk("c", 0, Harness.records("{\"id\":\"1\"}"), 0)).records()));
    }
    Referencing again = (Referencing) LOOKUP.prepare(
        Harness.json("{\"file\":\"data/users.csv\",\"format\":\"csv\",\"key\":\".id\"}"), setup);
    assertNotEquals(Json.digest(bytes), again.references().get(0).digest());
  }

  @Test
  void validateChecksTheExpressionsAndThatTheFileIsThereWithoutReadingIt() throws Exception {
    write("data/bad.jsonl", "not json\n");
    assertEquals(List.of(), ConfigValidation.problems("lookup", "{file: data/bad.jsonl, key: .id}", dir));
    assertEquals(List.of("/processors/0/config/file: no such file: 'nope.csv' (looked for /pipes/nope.csv)",
            "/processors/0/config/fileKey: jq syntax error at column 5: unexpected end of expression in '.id +'",
            "/processors/0/config/key: jq syntax error at column 1: unexpected '}' in '}'"),
        ConfigValidation.problems("lookup", "{file: nope.csv, key: '}', fileKey: .id +}", dir).stream().sorted().toList());
    assertEquals(List.of("/processors/0/config/unmatched: 'skip' is not one of keep, drop, reject"),
        ConfigValidation.problems("lookup", "{file: data/users.csv, key: .id, unmatched: skip}", dir));
    assertEquals(List.of("/processors/0/config/key: expected a string, got integer 5"),
        ConfigValidation.problems("lookup", "{file: data/users.csv, key: 5}", dir), "said once, by the schema");
    assertEquals(List.of("/processors/0/config/format: must be csv when 'delimiter' is given: set format: csv or remove delimiter"),
        ConfigValidation.problems("lookup", "{file: data/users.csv, key: .id, delimiter: ';', format: jsonl}", dir));
  }
}
