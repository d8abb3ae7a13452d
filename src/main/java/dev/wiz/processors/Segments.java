package dev.wiz.processors;

import java.util.List;

/** Builds a {@link FieldPath} from its names, quoting each so any name is taken as written. */
final class Segments {
  private Segments() {}

  static FieldPath path(List<String> names) {
    StringBuilder text = new StringBuilder();
    for (String s : names) {
      if (text.length() > 0) text.append('.');
      text.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return FieldPath.parse(text.toString());
  }
}
