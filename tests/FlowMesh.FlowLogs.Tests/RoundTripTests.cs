using System.Text;
using System.Text.Json;

namespace FlowMesh.FlowLogs.Tests;

public sealed class RoundTripTests
{
    [Fact]
    public void FormatLineThenTryParse_RandomRecordsOverRandomFormats_GiveTheSameRecord()
    {
        var random = new Random(20251126);
        for (var n = 0; n < 5000; n++)
        {
            var format = n % 5 == 0 ? FlowLogFormat.Default : RandomFlows.Format(random);
            var parser = new FlowLogParser(format);
            var expected = RandomFlows.Record(random, format);

            var line = FlowRecordFormatter.FormatLine(in expected, format);
            var ok = parser.TryParse(Encoding.UTF8.GetBytes(line), n, out var actual, out var malformed);

            Assert.True(ok, $"case {n}: {line} -> {malformed}");
            RecordAssert.Equal(expected, actual, $"case {n} ({line}): ");
        }
    }

    [Fact]
    public void ParseText_RandomRecordsWithHeader_GiveTheSameRecordsInOrder()
    {
        var random = new Random(7);
        for (var n = 0; n < 200; n++)
        {
            var format = RandomFlows.Format(random);
            var records = Enumerable.Range(0, random.Next(1, 20)).Select(_ => RandomFlows.Record(random, format)).ToList();
            var text = format.ToHeaderLine() + "\n" + string.Join("\r\n", records.Select(r => FlowRecordFormatter.FormatLine(in r, format)));
            var parser = new FlowLogParser(FlowLogFormat.Default);
            var sink = new RecordingSink();
            var lineNumber = 0;

            parser.ParseText(Encoding.UTF8.GetBytes(text), sink, ref lineNumber);

            Assert.Empty(sink.Malformed);
            Assert.Equal(records.Count, sink.Records.Count);
            for (var i = 0; i < records.Count; i++) RecordAssert.Equal(records[i], sink.Records[i]);
        }
    }

    [Fact]
    public void WriteJson_RandomRecords_HoldExactlyThePresentFieldsWithTheirValues()
    {
        var random = new Random(99);
        for (var n = 0; n < 1000; n++)
        {
            var format = RandomFlows.Format(random);
            var record = RandomFlows.Record(random, format);
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream)) FlowRecordFormatter.WriteJson(writer, in record);
            using var json = JsonDocument.Parse(stream.ToArray());

            var properties = json.RootElement.EnumerateObject().ToList();
            Assert.Equal(record.Present.Count, properties.Count);
            foreach (var property in properties)
            {
                Assert.True(FlowFieldInfo.TryParse(property.Name, out var field), property.Name);
                var text = property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetRawText() : property.Value.GetString();
                Assert.Equal(FlowRecordFormatter.FormatValue(in record, field), text);
            }
        }
    }
}
