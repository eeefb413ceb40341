using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace FlowMesh.Query;

/// <summary>Maps failures to status codes (<see cref="QueryErrors"/>) and counts calls and open streams.</summary>
internal sealed class QueryInterceptor(QueryMetrics metrics, ILogger<QueryInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var method = MethodName(context);
        try
        {
            var response = await continuation(request, context);
            metrics.RequestCompleted(method, StatusCode.OK);
            return response;
        }
        catch (Exception ex)
        {
            throw Fail(ex, context, method);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var method = MethodName(context);
        metrics.StreamOpened();
        try
        {
            await continuation(request, responseStream, context);
            metrics.RequestCompleted(method, StatusCode.OK);
        }
        catch (Exception ex)
        {
            throw Fail(ex, context, method);
        }
        finally
        {
            metrics.StreamClosed();
        }
    }

    private RpcException Fail(Exception exception, ServerCallContext context, string method)
    {
        var rpc = QueryErrors.ToRpcException(exception, context, method, logger);
        metrics.RequestCompleted(method, rpc.StatusCode);
        QueryLog.CallEnded(logger, method, rpc.StatusCode, rpc.Status.Detail);
        return rpc;
    }

    private static string MethodName(ServerCallContext context)
    {
        var method = context.Method;
        return method[(method.LastIndexOf('/') + 1)..];
    }
}
