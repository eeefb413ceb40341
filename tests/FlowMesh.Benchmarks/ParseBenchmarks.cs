using BenchmarkDotNet.Attributes;
using FlowMesh.FlowLogs;

namespace FlowMesh.Benchmarks;

/// <summary>
/// <see cref="FlowLogParser.ParseText"/> over 10,000 lines per operation (OperationsPerInvoke), so the
/// reported time and allocation are per line. Lines/s per thread = 1e9 / (ns per line).
/// </summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _defaultText = [];
    private byte[] _wideText = [];
    private FlowLogParser _defaultParser = null!;
    private FlowLogParser _wideParser = null!;
    private readonly CountingSink _sink = new();

    [GlobalSetup]
    public void Setup()
    {
        _defaultText = FlowLines.DefaultV2();
        _wideText = FlowLines.WideV5();
        _defaultParser = new FlowLogParser(FlowLogFormat.Default);
        _wideParser = new FlowLogParser(FlowLogFormat.Parse(FlowLines.WideV5Format));
        if (Run(_defaultParser, _defaultText) != FlowLines.LineCount || Run(_wideParser, _wideText) != FlowLines.LineCount)
            throw new InvalidOperationException($"benchmark input is malformed ({_sink.Malformed} malformed lines)");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FlowLines.LineCount)]
    public int ParseDefaultV2Line() => Run(_defaultParser, _defaultText);

    [Benchmark(OperationsPerInvoke = FlowLines.LineCount)]
    public int ParseWideV5Line() => Run(_wideParser, _wideText);

    private int Run(FlowLogParser parser, byte[] text)
    {
        _sink.Records = 0;
        var lineNumber = 0;
        parser.ParseText(text, _sink, ref lineNumber);
        return _sink.Records;
    }
}
