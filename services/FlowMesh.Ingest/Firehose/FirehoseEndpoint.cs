using FlowMesh.FlowLogs;
using FlowMesh.Ingest.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// The Firehose HTTP endpoint (spec §1): authenticates, reads and inflates the body, decodes every
/// record into one delivery batch and answers 200 only once the pipeline has applied it. Every
/// answer, including errors, is the JSON Firehose expects (see <see cref="FirehoseResponseWriter"/>).
/// </summary>
internal sealed class FirehoseEndpoint(
    IDeliveryPipeline pipeline,
    AccessKeyVerifier accessKeys,
    LogFormatResolver formats,
    PayloadDecoderPool decoders,
    DecodeSlots decodeSlots,
    MalformedRecordLog malformedLog,
    IngestMetrics metrics,
    TimeProvider time,
    IOptions<IngestOptions> options,
    ILogger<FirehoseEndpoint> logger)
{
    private readonly IngestOptions _options = options.Value;

    /// <summary>Base64 bytes decoded per step of a body before the thread is given back.</summary>
    internal const int DecodeStepBytes = 64 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var requestId = request.Headers[FirehoseHeaders.RequestId].ToString();
        try
        {
            if (!HttpMethods.IsPost(request.Method))
                throw new FirehoseRejection(StatusCodes.Status405MethodNotAllowed, $"Method {request.Method} is not allowed; Firehose delivers with POST.");
            if (!accessKeys.IsAuthorized(request.Headers.TryGetValue(FirehoseHeaders.AccessKey, out var key) ? key.ToString() : null))
                throw new FirehoseRejection(StatusCodes.Status401Unauthorized, $"Missing or incorrect {FirehoseHeaders.AccessKey}; set the stream's access key to one configured in FlowMesh:Ingest:AccessKey.");
            if (requestId.Length == 0)
                throw new FirehoseRejection($"The {FirehoseHeaders.RequestId} header is missing.");
            var gzip = IsGzip(request.Headers.ContentEncoding.ToString());
            var sourceArn = request.Headers[FirehoseHeaders.SourceArn].ToString();
            var format = formats.Resolve(sourceArn, request.Headers[FirehoseHeaders.CommonAttributes].ToString());

            // From here until its batch exists, a flush about to close early waits for this delivery
            // (deliveries sent together then share a flush instead of being split by the time their
            // bodies take to arrive).
            using var arrival = pipeline.AnnounceDelivery();

            // Firehose retries with the same request id: once applied, acknowledge without decoding.
            if (await pipeline.WasAppliedAsync(requestId, context.RequestAborted))
            {
                arrival.Dispose();
                metrics.DuplicateDelivery();
                IngestLog.DuplicateDelivery(logger, requestId);
                await RespondAsync(context, StatusCodes.Status200OK, requestId, null);
                return;
            }

            var (body, receivedBytes) = await FirehoseBodyReader.ReadAsync(request, gzip, _options, context.RequestAborted);
            using var _ = body;
            metrics.BodyReceived(receivedBytes, body.Length);
            await ApplyAsync(context, requestId, sourceArn.Length == 0 ? null : sourceArn, format, body, arrival);
        }
        catch (FirehoseRejection rejection)
        {
            IngestLog.RequestRejected(logger, requestId, rejection.StatusCode, rejection.Message);
            await RespondAsync(context, rejection.StatusCode, requestId, rejection.Message);
        }
        catch (DeliveryUnavailableException e)
        {
            IngestLog.DeliveryUnavailable(logger, requestId, e);
            await RespondAsync(context, StatusCodes.Status503ServiceUnavailable, requestId, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            IngestLog.RequestAborted(logger, requestId);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            IngestLog.UnexpectedFailure(logger, requestId, e);
            await RespondAsync(context, StatusCodes.Status500InternalServerError, requestId,
                "The ingest service failed unexpectedly; the delivery was not applied and can be retried.");
        }
    }

    private async Task ApplyAsync(HttpContext context, string requestId, string? sourceArn, FlowLogFormat format, PooledBuffer body, IDisposable arrival)
    {
        using var batch = pipeline.CreateBatch(requestId, sourceArn);
        arrival.Dispose(); // the batch counts itself until it is queued for a flush
        var sink = new DeliverySink(batch);
        FirehoseRequestBody.Envelope envelope;
        using (await decodeSlots.EnterAsync(context.RequestAborted))
        {
            var decoder = decoders.Rent(format);
            try
            {
                // In steps of about DecodeStepBytes of base64 (under a millisecond of work for plain
                // records), giving the thread back between them, so that queries and grain turns queued
                // meanwhile run within a step instead of after the whole body (~10 ms per MiB of gzip).
                using var walk = new FirehoseRequestBody();
                while (!walk.Step(body.WrittenSpan, decoder, sink, DecodeStepBytes))
                    await Task.Yield();
                envelope = walk.Result;
            }
            finally
            {
                decoders.Return(format, decoder);
            }
        }
        if (!string.Equals(envelope.RequestId, requestId, StringComparison.Ordinal))
            throw new FirehoseRejection($"The body's requestId '{envelope.RequestId}' differs from the {FirehoseHeaders.RequestId} header '{requestId}'.");
        if (envelope.RecordCount == 0)
        {
            await RespondAsync(context, StatusCodes.Status200OK, requestId, null);
            return;
        }

        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(_options.CommitTimeout);
        DeliveryOutcome outcome;
        try
        {
            outcome = await pipeline.CommitAsync(batch, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            IngestLog.CommitTimedOut(logger, requestId, _options.CommitTimeout);
            await RespondAsync(context, StatusCodes.Status503ServiceUnavailable, requestId,
                $"The delivery was not applied within {_options.CommitTimeout.TotalMilliseconds:0} ms; retry later.");
            return;
        }
        var elapsed = time.GetElapsedTime(started);
        metrics.BatchApplied(elapsed);

        if (outcome == DeliveryOutcome.Duplicate)
        {
            metrics.DuplicateDelivery();
            IngestLog.DuplicateDelivery(logger, requestId);
        }
        else
        {
            Publish(requestId, sourceArn ?? MalformedRecordLog.UnknownSource, sink);
            IngestLog.DeliveryApplied(logger, requestId, sink.Records, sink.Malformed.Count, sink.ControlMessages, elapsed.TotalMilliseconds);
        }
        await RespondAsync(context, StatusCodes.Status200OK, requestId, null);
    }

    /// <summary>Counts what an applied delivery carried (only then, so retries are not counted twice).</summary>
    private void Publish(string requestId, string source, DeliverySink sink)
    {
        metrics.RecordsApplied(sink.Records);
        if (sink.ControlMessages > 0)
            metrics.ControlMessages(sink.ControlMessages);
        if (sink.Malformed.Count == 0)
            return;
        var now = time.GetUtcNow();
        foreach (var (recordIndex, line) in sink.Malformed)
        {
            malformedLog.Add(new MalformedRecordExample(now, source, requestId, recordIndex, line));
            metrics.MalformedLine(line.Reason);
            IngestLog.MalformedRecord(logger, requestId, recordIndex, source, line);
        }
        var (firstIndex, first) = sink.Malformed[0];
        IngestLog.MalformedRecordsInDelivery(logger, requestId, source, sink.Malformed.Count, first.Reason, firstIndex);
    }

    private static bool IsGzip(string contentEncoding) =>
        contentEncoding.Trim() switch
        {
            "" or "identity" => false,
            var value when value.Equals("gzip", StringComparison.OrdinalIgnoreCase) => true,
            var value => throw new FirehoseRejection(
                $"Content-Encoding '{value}' is not supported; set the stream's content encoding to GZIP or NONE."),
        };

    private Task RespondAsync(HttpContext context, int statusCode, string requestId, string? errorMessage)
    {
        metrics.RequestAnswered(statusCode);
        return FirehoseResponseWriter.WriteAsync(context, statusCode, requestId, time.GetUtcNow().ToUnixTimeMilliseconds(), errorMessage);
    }
}
