package dev.wiz.processors;

import static dev.wiz.processors.Harness.json;
import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processors.Harness.Ctx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HashTest {
  private static final String SALT = "s3cr3t-salt-value";
  private static final ProcessorSetup SALTED =
      new ProcessorSetup(Path.of("").toAbsolutePath(), Map.of("SALT", SALT, "EMPTY", "")::get);

  private final HashFactory hash = new HashFactory();

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(dev.wiz.Json.sha256().digest(bytes));
  }

  private static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String hmac(String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SALT.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  private List<String> runSalted(String config, String... records) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    try (Processor p = hash.prepare(json(config), SALTED).get()) {
      p.init(new Ctx());
      for (JsonNode r : p.process(new Chunk("c", 0, Harness.records(records), 0)).records()) out.add(r.toString());
    }
    return out;
  }

  @Test
  void stringsAreHashedAsTheirUtf8BytesInLowerCaseHex() throws Exception {
    // printf %s 'a@b.c' | sha256sum
    assertEquals(List.of("{\"email\":\"d648b243a3e817eaa3309e00e183483f2867baadf522099f0c2121770536b25a\",\"n\":1}"),
        run(hash, "{\"fields\":[\"email\"]}", new Ctx(), "{\"email\":\"a@b.c\",\"n\":1}"));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha256("abc"), "the sha-256 test vector");
    assertEquals(List.of("{\"s\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}"),
        run(hash, "{\"fields\":[\"s\"]}", new Ctx(), "{\"s\":\"abc\"}"));
  }

  @Test
  void otherValuesAreHashedAsCanonicalJson() throws Exception {
    List<String> out = run(hash, "{\"fields\":[\"v\"]}", new Ctx(),
        "{\"v\":42}", "{\"v\":1.0}", "{\"v\":true}", "{\"v\":{\"b\":1,\"a\":[2,\"x\"]}}", "{\"v\":\"42\"}",
        "{\"v\":123456789012345678901234567890}");
    assertEquals(List.of(
        "{\"v\":\"" + sha256("42") + "\"}",
        "{\"v\":\"" + sha256("1.0") + "\"}",
        "{\"v\":\"" + sha256("true") + "\"}",
        "{\"v\":\"" + sha256("{\"a\":[2,\"x\"],\"b\":1}") + "\"}",
        "{\"v\":\"" + sha256("42") + "\"}",
        "{\"v\":\"" + sha256("123456789012345678901234567890") + "\"}"), out);
  }

  @Test
  void aNumberIsHashedByItsValueNotByHowItWasWritten() throws Exception {
    List<String> out = run(hash, "{\"fields\":[\"v\"],\"suffix\":\"_h\"}", new Ctx(),
        "{\"v\":1e2}", "{\"v\":100.0}", "{\"v\":1e10}", "{\"v\":-0}", "{\"v\":1E+400}");
    assertEquals(List.of(
        "{\"v\":1e2,\"v_h\":\"" + sha256("100.0") + "\"}",
        "{\"v\":100.0,\"v_h\":\"" + sha256("100.0") + "\"}",
        "{\"v\":1e10,\"v_h\":\"" + sha256("1.0E10") + "\"}",
        "{\"v\":-0,\"v_h\":\"" + sha256("0") + "\"}",
        "{\"v\":1E+400,\"v_h\":\"" + sha256("1E+400") + "\"}"), out, "the number is written as read, hashed by value");
  }

  @Test
  void negativeZeroIsHashedAsZeroAsJqHoldsThemEqual() throws Exception {
    List<String> out = run(hash, "{\"fields\":[\"v\"]}", new Ctx(),
        "{\"v\":-0.0}", "{\"v\":0.0}", "{\"v\":-0e3}", "{\"v\":[-0.0,{\"a\":-0.0}]}", "{\"v\":-0}", "{\"v\":-1.5}");
    assertEquals(List.of(sha256("0.0"), sha256("0.0"), sha256("0.0"), sha256("[0.0,{\"a\":0.0}]"), sha256("0"),
            sha256("-1.5")),
        out.stream().map(r -> Harness.json(r).get("v").asText()).toList(), "-0.0 is 0.0 at any depth; other numbers as before");
  }

  @Test
  void aNumberBeyondADoubleIsHashedByItsValueHoweverItsZerosAndExponentAreWritten() throws Exception {
    List<String> out = run(hash, "{\"fields\":[\"v\"]}", new Ctx(),
        "{\"v\":12345678901234567.5}", "{\"v\":12345678901234567.50}", "{\"v\":1e400}", "{\"v\":10e399}",
        "{\"v\":1.0000000000000000000e400}", "{\"v\":0.10000000000000000001}", "{\"v\":0.100000000000000000010}",
        "{\"v\":1.000000000000000000000}");
    String a = sha256("12345678901234567.5");
    String b = sha256("1E+400");
    String c = sha256("0.10000000000000000001");
    assertEquals(List.of(a, a, b, b, b, c, c, sha256("1.0")),
        out.stream().map(r -> Harness.json(r).get("v").asText()).toList(), "one value, one hash (1.000...0 is 1.0)");
  }

  @Test
  void aDoubleIsHashedAsItsShortestTextOnEveryJdk() throws Exception {
    // JDK 17's Double.toString gives 2.82879384806159008E17 (JDK-4511638), JDK 19 on the shortest
    List<String> out = run(hash, "{\"fields\":[\"v\",\"w\"]}", new Ctx(), "{\"v\":2.82879384806159E17,\"w\":2.0E-3}");
    assertEquals(List.of("{\"v\":\"" + sha256("2.82879384806159E17") + "\",\"w\":\"" + sha256("0.002") + "\"}"), out);
  }

  @Test
  void missingFieldsAreLeftAloneAndNullStaysNull() throws Exception {
    assertEquals(List.of("{\"a\":1}", "{\"email\":null}", "{\"customer\":\"x\"}", "{\"customer\":{}}"),
        run(hash, "{\"fields\":[\"email\",\"customer.phone\"]}", new Ctx(),
            "{\"a\":1}", "{\"email\":null}", "{\"customer\":\"x\"}", "{\"customer\":{}}"));
    assertEquals(List.of("{\"a\":1}", "{\"email\":null,\"email_hash\":null}"),
        run(hash, "{\"fields\":[\"email\"],\"suffix\":\"_hash\"}", new Ctx(), "{\"a\":1}", "{\"email\":null}"));
  }

  @Test
  void nestedFieldsAndNonObjectRecords() throws Exception {
    // A record that is not an object has no fields to hash: it is rejected, never passed on as it
    // was (a string record "a@b.c" would leave a pseudonymising step in clear)
    Ctx ctx = new Ctx();
    assertEquals(List.of("{\"customer\":{\"phone\":\"" + sha256("+41 79") + "\",\"name\":\"Zoë\"},\"id\":1}"),
        run(hash, "{\"fields\":[\"customer.phone\"]}", ctx,
            "{\"customer\":{\"phone\":\"+41 79\",\"name\":\"Zoë\"},\"id\":1}", "null", "[1]", "\"x\""));
    String why = ", not an object, so it has no fields to hash: make it an object (jq: {value: .}) or leave it out before this step";
    assertEquals(List.of("null hash: the record is null" + why, "[1] hash: the record is an array" + why,
        "\"x\" hash: the record is a string" + why), ctx.rejected);
    assertEquals(List.of(), run(hash, "{\"fields\":[\"a\"]}", new Ctx()));
  }

  @Test
  void suffixWritesNextToTheOriginalAndKeepsIt() throws Exception {
    assertEquals(List.of("{\"user\":{\"email\":\"Zoë@x\",\"email_hash\":\"" + sha256("Zoë@x") + "\"}}"),
        run(hash, "{\"fields\":[\"user.email\"],\"suffix\":\"_hash\"}", new Ctx(), "{\"user\":{\"email\":\"Zoë@x\"}}"));
    assertEquals(List.of("{\"a.b\":\"x\",\"a.b#\":\"" + sha256("x") + "\"}"),
        run(hash, "{\"fields\":[\"\\\"a.b\\\"\"],\"suffix\":\"#\"}", new Ctx(), "{\"a.b\":\"x\"}"));
  }

  @Test
  void unicodeAndHugeStringsAreHashedWhole() throws Exception {
    String big = "🙂é".repeat(200_000);
    assertEquals(List.of("{\"s\":\"" + sha256(big) + "\"}"), run(hash, "{\"fields\":[\"s\"]}", new Ctx(), "{\"s\":\"" + big + "\"}"));
    assertNotEquals(sha256("é"), sha256("e\u0301"), "no unicode normalisation");
  }

  @Test
  void saltEnvMakesAnHmacKeyedByTheVariable() throws Exception {
    assertEquals(List.of("{\"email\":\"" + hmac("a@b.c") + "\"}"), runSalted("{\"fields\":[\"email\"],\"saltEnv\":\"SALT\"}", "{\"email\":\"a@b.c\"}"));
    assertNotEquals(hmac("a@b.c"), sha256("a@b.c"));
    // RFC 4231, test case 2
    ProcessorSetup jefe = new ProcessorSetup(Path.of("").toAbsolutePath(), Map.of("K", "Jefe")::get);
    try (Processor p = hash.prepare(json("{\"fields\":[\"m\"],\"saltEnv\":\"K\"}"), jefe).get()) {
      p.init(new Ctx());
      assertEquals("{\"m\":\"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843\"}",
          p.process(new Chunk("c", 0, Harness.records("{\"m\":\"what do ya want for nothing?\"}"), 0)).records().get(0).toString());
    }
    assertEquals(List.of(), hash.check(json("{\"fields\":[\"email\"],\"saltEnv\":\"SALT\"}"), SALTED));
  }

  @Test
  void anUnsetOrEmptySaltVariableIsReportedByNameOnly() {
    assertEquals(List.of(new ConfigProblem("/saltEnv", "environment variable NOPE is not set: the HMAC salt is read from it")),
        hash.check(json("{\"fields\":[\"email\"],\"saltEnv\":\"NOPE\"}"), SALTED));
    assertEquals(List.of(new ConfigProblem("/saltEnv", "environment variable EMPTY is empty: the HMAC salt needs at least one character")),
        hash.check(json("{\"fields\":[\"email\"],\"saltEnv\":\"EMPTY\"}"), SALTED));
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> hash.prepare(json("{\"fields\":[\"email\"],\"saltEnv\":\"NOPE\"}"), SALTED));
    assertEquals("/saltEnv: environment variable NOPE is not set: the HMAC salt is read from it", e.getMessage());
  }

  @Test
  void theSaltNeverAppearsInMessagesOrToString() throws Exception {
    JsonNode config = json("{\"fields\":[\"email\",\"x\"],\"saltEnv\":\"SALT\"}");
    Supplier<Processor> supplier = hash.prepare(config, SALTED);
    Processor p = supplier.get();
    Ctx ctx = new Ctx();
    p.init(ctx);
    Chunk out = p.process(new Chunk("c", 0, Harness.records("{\"email\":\"a\"}", "{\"x\":{\"y\":[1]}}"), 0));
    StringBuilder seen = new StringBuilder()
        .append(supplier).append(p).append(config).append(out).append(ctx.rejected)
        .append(hash.check(config, SALTED))
        .append(hash.check(json("{\"fields\":[\"\"],\"saltEnv\":\"SALT\",\"suffix\":\"x\"}"), SALTED));
    for (String bad : List.of("{\"fields\":[\"a.\"],\"saltEnv\":\"SALT\"}", "{\"fields\":[\"a\"],\"saltEnv\":\"EMPTY\"}")) {
      try {
        hash.prepare(json(bad), SALTED);
      } catch (ProcessorException e) {
        seen.append(e.getMessage()).append(e);
      }
    }
    assertFalse(seen.toString().contains(SALT), seen.toString());
    assertFalse(seen.toString().contains("s3cr3t"));
  }

  @Test
  void checkFindsBadPathsDuplicatesAndSuffixClashes() {
    assertEquals(List.of(new ConfigProblem("/fields/1", "field path 'a.' ends with a dot: name a field after it")),
        Harness.check(hash, "{\"fields\":[\"a\",\"a.\"]}"));
    assertEquals(List.of(new ConfigProblem("/fields/1", "'\"a\"' names the same field as 'a': list each field once")),
        Harness.check(hash, "{\"fields\":[\"a\",\"\\\"a\\\"\"]}"));
    assertEquals(List.of(new ConfigProblem("/suffix",
            "the hash of 'email' would go to 'email_hash', which is itself hashed: choose another suffix")),
        Harness.check(hash, "{\"fields\":[\"email\",\"email_hash\"],\"suffix\":\"_hash\"}"));
    assertEquals(List.of(), Harness.check(hash, "{\"fields\":[\"email\",\"phone\"],\"suffix\":\"_hash\"}"));
  }

  @Test
  void checkReportsAFieldWhoseHashWouldGoInsideAnotherHash() {
    assertEquals(List.of(new ConfigProblem("/fields/1", "'a' holds 'a.b', hashed at /fields/0: the hash of 'a' would"
            + " leave no place for the hash inside it; list 'a' alone (its hash covers all of it)")),
        Harness.check(hash, "{\"fields\":[\"a.b\",\"a\"]}"));
    assertEquals(List.of(new ConfigProblem("/fields/1", "the hash of 'a_h.b' would go to 'a_h.b_h', inside 'a_h',"
            + " where the hash of 'a' at /fields/0 goes: one hash would overwrite the other; choose another suffix")),
        Harness.check(hash, "{\"fields\":[\"a\",\"a_h.b\"],\"suffix\":\"_h\"}"));
    // with a suffix a field and one inside it hash to two places apart: a_h and a.b_h
    assertEquals(List.of(), Harness.check(hash, "{\"fields\":[\"a.b\",\"a\"],\"suffix\":\"_h\"}"));
  }

  @Test
  void theSchemaRejectsEmptyFieldListsAndOddVariableNames() throws Exception {
    assertEquals(1, ConfigValidation.problems("hash", "{fields: []}").size());
    assertEquals(1, ConfigValidation.problems("hash", "{fields: [a], saltEnv: 'not a name'}").size());
    assertEquals(1, ConfigValidation.problems("hash", "{fields: [a], suffix: ''}").size());
    assertEquals(List.of("/processors/0/config/saltEnv: environment variable WIZ_SALT is not set: the HMAC salt is read from it"),
        ConfigValidation.problems("hash", "{fields: [a], saltEnv: WIZ_SALT}"));
    assertTrue(hash.loadBalance());
  }
}
