package dev.deviceactions.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Every JSON string member of a request body must be {@link StorableText}; one that is not is a 400
 * naming the member, before anything reaches the database.
 */
@Singleton
public class StorableTextJson implements ObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.registerModule(new SimpleModule().addDeserializer(String.class, new Strings()));
  }

  /** Jackson's own string reading, then the check. */
  static final class Strings extends StringDeserializer {
    @Override
    public String deserialize(JsonParser p, DeserializationContext context) throws IOException {
      String value = super.deserialize(p, context);
      if (value != null && !StorableText.storable(value)) {
        throw InvalidFormatException.from(p, StorableText.MESSAGE, value, String.class);
      }
      return value;
    }
  }
}
