using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Messaging;

namespace FlowMesh.Query;

/// <summary>Turns what a query can fail with into a status code and a message a user can act on.</summary>
internal static class QueryErrors
{
    public static RpcException ToRpcException(Exception exception, ServerCallContext context, string method, ILogger logger)
    {
        // A failed poller completes its subscribers' channels with its error.
        if (exception is ChannelClosedException { InnerException: { } inner }) exception = inner;
        switch (exception)
        {
            case RpcException rpc:
                return rpc;
            case QueryValidationException invalid:
                QueryLog.InvalidRequest(logger, method, invalid.Message);
                return new RpcException(new Status(StatusCode.InvalidArgument, invalid.Message));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return context.Deadline <= DateTime.UtcNow
                    ? new RpcException(new Status(StatusCode.DeadlineExceeded, "the deadline passed before the query completed"))
                    : new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
            case SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException
                or GatewayTooBusyException or TimeoutException:
                QueryLog.ClusterUnavailable(logger, exception, method);
                return new RpcException(new Status(StatusCode.Unavailable,
                    $"the FlowMesh aggregation cluster is unavailable ({exception.GetType().Name}: {exception.Message}); " +
                    "retry in a few seconds, and check that the silo role is running and reachable from the query role"));
            default:
                QueryLog.UnexpectedFailure(logger, exception, method);
                return new RpcException(new Status(StatusCode.Internal, $"internal error ({exception.GetType().Name}); see the query service log"));
        }
    }
}
