using System.IO.Compression;
using System.Text;
using FlowMesh.FlowLogs;

namespace FlowMesh.Cli.Commands;

/// <summary>
/// The lines of one flow-log file (plain or gzip, told apart by the magic bytes) and its format:
/// a header line, as S3 files have, names the format and is not sent; otherwise the given format.
/// Blank lines are skipped. Tracks how far into the file (compressed bytes) reading has got.
/// </summary>
internal sealed class FlowLogFileLines : IDisposable
{
    private readonly FileStream _file;
    private readonly StreamReader _reader;
    private string? _firstLine;

    private FlowLogFileLines(FileStream file, StreamReader reader, FlowLogFormat format, string? firstLine)
    {
        _file = file;
        _reader = reader;
        Format = format;
        _firstLine = firstLine;
    }

    public FlowLogFormat Format { get; }

    /// <summary>Bytes of the file read so far (read-ahead buffers included).</summary>
    public long Position => _file.Position;

    public static FlowLogFileLines Open(string path, FlowLogFormat defaultFormat)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            file.Position = 0;
            Stream text = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
            var reader = new StreamReader(text, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, 1 << 16, leaveOpen: false);
            string? first;
            do first = reader.ReadLine(); while (first is not null && string.IsNullOrWhiteSpace(first));
            if (first is not null && FlowLogFormat.TryParseHeader(Encoding.UTF8.GetBytes(first), out var header) && header is not null)
                return new FlowLogFileLines(file, reader, header, null);
            return new FlowLogFileLines(file, reader, defaultFormat, first);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The data lines, read lazily.</summary>
    public IEnumerable<string> Lines()
    {
        if (_firstLine is { } first)
        {
            _firstLine = null;
            yield return first;
        }
        while (_reader.ReadLine() is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line)) yield return line;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _file.Dispose();
    }
}
