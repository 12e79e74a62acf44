package dev.cairn.server.inference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cairn.core.CairnException;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of a data frame decoded into a model's inputs: one column per input for a columnar
 * signature, or, for a model with one tensor input {@code [-1, k]}, each row's {@code k} values in
 * the order given.
 */
final class Table {
    private final Signature signature;
    private final boolean columnar;
    private final ColumnBuilder[] builders;
    /** For each position of a row, the input it fills, or -1 to skip it. */
    private final int[] targets;

    private final Map<String, Integer> byName = new HashMap<>();
    private int width;
    private int rows;

    Table(Signature signature, List<String> columns) {
        this.signature = signature;
        this.columnar = signature.isColumnar();
        List<TensorSpec> specs = signature.inputs();
        if (!columnar && specs.size() != 1) {
            throw CairnException.invalid("this model takes " + specs.size() + " tensor inputs "
                    + specs.stream().map(TensorSpec::name).toList()
                    + "; send them as {\"inputs\": {\"name\": data, ...}}");
        }
        builders = new ColumnBuilder[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            builders[i] = new ColumnBuilder(specs.get(i).name(), specs.get(i).datatype());
            byName.put(specs.get(i).name(), i);
        }
        width = columnar ? specs.size() : fixedWidth(specs.get(0));
        if (columns == null) {
            targets = null;
        } else {
            targets = new int[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                targets[i] = columnar ? byName.getOrDefault(columns.get(i), -1) : 0;
            }
            if (columnar) {
                for (TensorSpec spec : specs) {
                    if (!columns.contains(spec.name())) {
                        throw CairnException.invalid("column '" + spec.name() + "' is missing; the model expects "
                                + spec.datatype() + " " + spec.shape());
                    }
                }
            }
        }
    }

    private static int fixedWidth(TensorSpec spec) {
        List<Long> shape = spec.shape();
        if (shape.size() < 2) {
            return 1;
        }
        long width = 1;
        for (long dim : shape.subList(1, shape.size())) {
            if (dim < 0) {
                return -1;
            }
            width *= dim;
        }
        return (int) width;
    }

    /** Reads an array of rows (arrays, records or single values); the parser is on its START_ARRAY. */
    void rows(JsonParser parser, JsonToken start, String what) throws IOException {
        MlflowScoring.expect(start, JsonToken.START_ARRAY, what);
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_ARRAY) {
                arrayRow(parser);
            } else if (token == JsonToken.START_OBJECT) {
                recordRow(parser);
            } else {
                scalarRow(parser, token);
            }
            rows++;
        }
    }

    private void arrayRow(JsonParser parser) throws IOException {
        if (!columnar) {
            int before = builders[0].size();
            flatten(parser, builders[0], 0);
            checkWidth(builders[0].size() - before);
            return;
        }
        int position = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            int target = targets == null ? (position < builders.length ? position : -1) : target(position);
            if (target < 0) {
                parser.skipChildren();
            } else {
                builders[target].add(parser, token);
            }
            position++;
        }
        checkComplete();
    }

    private int target(int position) {
        if (position >= targets.length) {
            throw CairnException.invalid("row " + rows + " has more values than the " + targets.length + " columns");
        }
        return targets[position];
    }

    private void flatten(JsonParser parser, ColumnBuilder builder, int depth) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_ARRAY && depth < 32) {
                flatten(parser, builder, depth + 1);
            } else {
                builder.add(parser, token);
            }
        }
    }

    private void recordRow(JsonParser parser) throws IOException {
        int before = columnar ? 0 : builders[0].size();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String column = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!columnar) {
                builders[0].add(parser, value);
                continue;
            }
            Integer target = byName.get(column);
            if (target == null) {
                parser.skipChildren();
            } else {
                builders[target].add(parser, value);
            }
        }
        if (columnar) {
            checkComplete();
        } else {
            checkWidth(builders[0].size() - before);
        }
    }

    private void scalarRow(JsonParser parser, JsonToken token) throws IOException {
        if (builders.length != 1 || (!columnar && width != 1)) {
            throw CairnException.invalid("row " + rows + " is a single value but the model takes "
                    + (columnar ? builders.length + " columns" : width + " values per row"));
        }
        builders[0].add(parser, token);
    }

    /** One CSV row, its values in header order. */
    void textRow(String[] values) {
        if (values.length != targets.length) {
            throw CairnException.invalid("CSV row " + (rows + 1) + " has " + values.length
                    + " values but the header has " + targets.length + " columns");
        }
        for (int i = 0; i < values.length; i++) {
            if (targets[i] >= 0) {
                builders[targets[i]].addText(values[i]);
            }
        }
        if (columnar) {
            checkComplete();
        } else {
            checkWidth(values.length);
        }
        rows++;
    }

    private void checkComplete() {
        for (int i = 0; i < builders.length; i++) {
            if (builders[i].size() != rows + 1) {
                throw CairnException.invalid("row " + rows + " has no value for column '"
                        + signature.inputs().get(i).name() + "' ("
                        + signature.inputs().get(i).datatype() + ")");
            }
        }
    }

    private void checkWidth(int count) {
        if (width < 0) {
            width = count;
        }
        if (count != width) {
            throw CairnException.invalid("row " + rows + " has " + count + " values but input '"
                    + signature.inputs().get(0).name() + "' takes " + width + " per row ("
                    + signature.inputs().get(0).shape() + ")");
        }
    }

    List<Tensor> tensors() {
        var tensors = new ArrayList<Tensor>(builders.length);
        if (columnar) {
            for (ColumnBuilder builder : builders) {
                tensors.add(builder.build(rows));
            }
            return tensors;
        }
        List<Long> spec = signature.inputs().get(0).shape();
        long[] shape = new long[Math.max(spec.size(), 1)];
        shape[0] = rows;
        for (int i = 1; i < spec.size(); i++) {
            shape[i] = spec.get(i) < 0 ? Math.max(width, 0) : spec.get(i);
        }
        tensors.add(builders[0].build(shape));
        return tensors;
    }
}
