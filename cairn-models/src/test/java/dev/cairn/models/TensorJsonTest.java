package dev.cairn.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorJsonTest {
    static final JsonFactory JSON = new JsonFactory();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "BOOL   | [[true,false],[false,true]] | [true,false,false,true]",
                "UINT8  | [[0,255],[1,2]]              | [0,255,1,2]",
                "UINT16 | [0,65535,1,2]                | [0,65535,1,2]",
                "UINT32 | [0,4294967295,1,2]           | [0,4294967295,1,2]",
                "UINT64 | [0,9007199254740993,1,2]     | [0,9007199254740993,1,2]",
                "INT8   | [-128,127,0,1]               | [-128,127,0,1]",
                "INT16  | [-32768,32767,0,1]           | [-32768,32767,0,1]",
                "INT32  | [-2147483648,2147483647,0,1] | [-2147483648,2147483647,0,1]",
                "INT64  | [-9223372036854775808,9223372036854775807,0,1] | [-9223372036854775808,9223372036854775807,0,1]",
                "FP16   | [[0.5,1],[2,-3.25]]          | [0.5,1.0,2.0,-3.25]",
                "FP32   | [0.5,1,2,-3.25]              | [0.5,1.0,2.0,-3.25]",
                "FP64   | [0.1,1,2,-3.25]              | [0.1,1.0,2.0,-3.25]",
                "BYTES  | [[\"SEA\",\"\"],[\"a,b\",\"é\"]] | [\"SEA\",\"\",\"a,b\",\"é\"]",
            })
    void everyDatatypeRoundTripsFlatOrNested(String datatype, String data, String flat) throws IOException {
        String json = "{\"name\":\"t\",\"datatype\":\"" + datatype + "\",\"shape\":[2,2],\"data\":" + data + "}";
        Tensor tensor = read(json);
        assertThat(tensor.datatype()).isEqualTo(DataType.valueOf(datatype));
        assertThat(tensor.shape()).containsExactly(2, 2);
        assertThat(write(tensor))
                .isEqualTo("{\"name\":\"t\",\"datatype\":\"" + datatype + "\",\"shape\":[2,2],\"data\":" + flat + "}");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "UINT8  | [0,256,1,2]   | 256 is out of range for UINT8",
                "UINT32 | [0,-1,1,2]    | -1 is out of range for UINT32",
                "INT8   | [0,128,1,2]   | 128 is out of range for INT8",
                "INT32  | [0,1.5,1,2]   | INT32 element 1 must be an integer, got '1.5'",
                "INT64  | [0,18446744073709551615,1,2] | out of range for INT64",
                "BOOL   | [0,1,true,false] | BOOL element 0 must be true or false, got '0'",
                "BYTES  | [1,2,3,4]     | BYTES element 0 must be a string, got '1'",
                "FP32   | [1,{},3,4]    | FP32 element 1 must be a number, got 'an object'",
                "FP32   | [1,2,3]       | needs 4 elements but data has 3",
                "FP32   | [[1,2],[3,4],[5]] | more than the 4 elements",
            })
    void badDataIsRefusedNamingTheTensorAndElement(String datatype, String data, String message) {
        String json = "{\"name\":\"t\",\"datatype\":\"" + datatype + "\",\"shape\":[2,2],\"data\":" + data + "}";
        assertThatThrownBy(() -> read(json)).hasMessageContaining("tensor 't'").hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}            | 'name' is required",
                "{\"name\":\"t\",\"shape\":[1],\"data\":[1]}                   | 'datatype' is required",
                "{\"name\":\"t\",\"datatype\":\"FP32\",\"data\":[1]}            | 'shape' is required",
                "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[1]}           | 'data' is required",
                "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[\"1\"],\"data\":[1]} | dimensions must be non-negative integers",
                "{\"name\":\"t\",\"datatype\":\"fp99\",\"shape\":[1],\"data\":[1]} | unknown datatype 'fp99'",
                "{\"name\":7,\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}   | expected a string",
                "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[99999,99999,99999],\"data\":[1]} | too large",
            })
    void malformedTensorsAreRefused(String json, String message) {
        assertThatThrownBy(() -> read(json)).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"data\":[1,2],\"name\":\"t\",\"shape\":[2],\"datatype\":\"FP64\"} | [1.0,2.0]",
                "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[],\"data\":7}     | [7.0]",
                "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[2],\"parameters\":{\"x\":[1]},\"data\":[\"NaN\",1]} | [\"NaN\",1.0]",
            })
    void dataBeforeShapeScalarsAndParametersAreRead(String json, String flat) throws IOException {
        assertThat(write(read(json))).endsWith("\"data\":" + flat + "}");
    }

    /** The whole message, so that the field it names is pinned: "inputs[0].shape", not "inputs[0]". */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"name\":7,\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]} | inputs[0].name: expected a string, got an integer '7'",
                "{\"name\":\"t\",\"datatype\":[1],\"shape\":[1],\"data\":[1]} | inputs[0].datatype: expected a string, got an array '['",
                "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":2,\"data\":[1]} | inputs[0].shape: expected an array, got an integer '2'",
                "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[-1],\"data\":[1]} | inputs[0].shape: dimensions must be non-negative integers, got '-1'",
                "{\"name\":\"t\",\"datatype\":\"fp99\",\"shape\":[1],\"data\":[1]} | 'inputs[0].datatype: unknown datatype ''fp99''; expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES'",
            })
    void fieldErrorsNameTheTensorField(String json, String message) {
        assertThatThrownBy(() -> read(json)).hasMessage(message);
    }

    static Tensor read(String json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            return TensorJson.read(parser, "inputs[0]");
        }
    }

    static String write(Tensor tensor) throws IOException {
        var out = new StringWriter();
        try (var g = JSON.createGenerator(out)) {
            TensorJson.write(g, tensor);
        }
        return out.toString();
    }
}
