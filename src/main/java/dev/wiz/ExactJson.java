package dev.wiz;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reading, with Jackson's streaming parser, JSON that wiz wrote itself (its state files, its
 * provenance events) into records without databind's reflection. Each value must be of exactly
 * the JSON type wiz writes there; anything else is {@link Declined}, and the caller hands the bytes
 * to databind, which reads them as it always did or says what is wrong.
 */
public final class ExactJson {
  private ExactJson() {}

  /** The JSON is not as wiz writes it: databind reads it instead. */
  public static final class Declined extends Exception {
    private static final long serialVersionUID = 1L;

    private Declined() {
      super(null, null, false, false);
    }
  }

  /** The one instance (it has no stack trace and no message). */
  public static final Declined DECLINED = new Declined();

  /** Reads the value of one field, given the field's index in the names. */
  public interface Field {
    void read(int index) throws IOException, Declined;
  }

  /**
   * Reads the fields of the object the parser is in (just after its START_OBJECT), each with
   * {@code field}, the parser at the field's value; a field not in {@code names} (at most 64), or
   * one given twice, declines. Ends at the object's END_OBJECT.
   */
  public static void fields(JsonParser p, String[] names, Field field) throws IOException, Declined {
    long seen = 0;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      int i = index(names, p.currentName());
      if (i < 0 || (seen & (1L << i)) != 0) throw DECLINED;
      seen |= 1L << i;
      p.nextToken();
      field.read(i);
    }
    if (t != JsonToken.END_OBJECT) throw DECLINED;
  }

  /** The index of the name in the names, -1 when it is not there. */
  public static int index(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) return i;
    }
    return -1;
  }

  /** A string, or null for null. */
  public static String string(JsonParser p) throws IOException, Declined {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) return null;
    if (t != JsonToken.VALUE_STRING) throw DECLINED;
    return p.getText();
  }

  /** An integer written as a number: in int range when {@code intRange}, else in long range. */
  public static long integral(JsonParser p, boolean intRange) throws IOException, Declined {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) throw DECLINED;
    JsonParser.NumberType n = p.getNumberType();
    if (n != JsonParser.NumberType.INT && (intRange || n != JsonParser.NumberType.LONG)) throw DECLINED;
    return p.getLongValue();
  }

  /** Whether the parser is at null; otherwise it must be at {@code open} (START_OBJECT or START_ARRAY). */
  public static boolean isNull(JsonParser p, JsonToken open) throws Declined {
    if (p.currentToken() == JsonToken.VALUE_NULL) return true;
    if (p.currentToken() != open) throw DECLINED;
    return false;
  }
}
