using System.Buffers;
using System.IO.Compression;
using FlowMesh.FlowLogs;

namespace FlowMesh.Cli.Commands;

/// <summary>Streams a plain or gzip'd flow-log file through a parser in chunks of whole lines.</summary>
internal static class FlowLogInput
{
    private const int ChunkSize = 1 << 20;

    public static async Task ReadAsync(Stream input, FlowLogParser parser, IFlowRecordSink sink, CancellationToken cancellationToken)
    {
        // Standard input cannot seek back over the magic bytes: hold it in memory first.
        if (!input.CanSeek)
        {
            var copy = new MemoryStream();
            await input.CopyToAsync(copy, cancellationToken);
            copy.Position = 0;
            input = copy;
        }
        var magic = new byte[2];
        var start = input.Position;
        var isGzip = await input.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        input.Position = start;

        await using var text = isGzip ? new GZipStream(input, CompressionMode.Decompress, leaveOpen: true) : input;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var filled = 0;
            var lineNumber = 0;
            while (true)
            {
                if (filled == buffer.Length) buffer = Grow(buffer, filled); // one line longer than the buffer
                var read = await text.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    parser.ParseText(buffer.AsSpan(0, filled), sink, ref lineNumber);
                    return;
                }
                filled += read;
                var end = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (end == 0) continue;
                parser.ParseText(buffer.AsSpan(0, end), sink, ref lineNumber);
                buffer.AsSpan(end, filled - end).CopyTo(buffer);
                filled -= end;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int used)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
