using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// Reads a Firehose request body into pooled memory and inflates it when it is gzip'd, enforcing
/// the received-size limit (413: Firehose treats it as permanent, spec §1.4) and the inflated-size
/// guard against decompression bombs.
/// </summary>
internal static class FirehoseBodyReader
{
    private const int ReadChunk = 64 * 1024;

    /// <summary>The (inflated) body, and how many bytes arrived on the wire.</summary>
    public static async Task<(PooledBuffer Body, long ReceivedBytes)> ReadAsync(HttpRequest request, bool gzip, IngestOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxRequestBodyBytes)
            throw TooLarge(options);

        // Our own limit below answers 413 with the Firehose JSON body; Kestrel's would answer without it.
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = null;

        var received = new PooledBuffer((int)Math.Min(request.ContentLength ?? ReadChunk, options.MaxRequestBodyBytes));
        try
        {
            await ReadAllAsync(request.Body, received, options.MaxRequestBodyBytes, () => TooLarge(options), cancellationToken);
            if (!gzip) return (received, received.Length);

            using (received)
                return (await InflateAsync(received, options, cancellationToken), received.Length);
        }
        catch
        {
            received.Dispose();
            throw;
        }
    }

    private static async Task<PooledBuffer> InflateAsync(PooledBuffer compressed, IngestOptions options, CancellationToken cancellationToken)
    {
        // Firehose bodies compress about 10:1; start there and let the buffer double.
        var inflated = new PooledBuffer((int)Math.Min((long)compressed.Length * 8, options.MaxInflatedBodyBytes));
        try
        {
            using var source = compressed.OpenRead();
            await using var gunzip = new GZipStream(source, CompressionMode.Decompress);
            await ReadAllAsync(gunzip, inflated, options.MaxInflatedBodyBytes, () => new FirehoseRejection(StatusCodes.Status413PayloadTooLarge,
                $"The gzip'd body inflates to more than {options.MaxInflatedBodyBytes} bytes (FlowMesh:Ingest:MaxInflatedBodyBytes); lower the stream's buffer size."),
                cancellationToken);
            return inflated;
        }
        catch (InvalidDataException e)
        {
            inflated.Dispose();
            throw new FirehoseRejection($"Content-Encoding is gzip but the body is not valid gzip: {e.Message}", e);
        }
        catch
        {
            inflated.Dispose();
            throw;
        }
    }

    private static async Task ReadAllAsync(Stream stream, PooledBuffer buffer, long limit, Func<FirehoseRejection> tooLarge, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await stream.ReadAsync(buffer.GetMemory(ReadChunk), cancellationToken);
            if (read == 0) return;
            buffer.Advance(read);
            if (buffer.Length > limit) throw tooLarge();
        }
    }

    private static FirehoseRejection TooLarge(IngestOptions options) => new(StatusCodes.Status413PayloadTooLarge,
        $"The request body is larger than {options.MaxRequestBodyBytes} bytes (FlowMesh:Ingest:MaxRequestBodyBytes); lower the stream's buffer size.");
}
