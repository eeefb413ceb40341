using System.Diagnostics;
using FlowMesh.Grains;
using FlowMesh.Server.Cluster;
using Orleans.Core.Internal;

namespace FlowMesh.Server.Hosting;

/// <summary>
/// A benchmark diagnostic: <c>POST /diagnostics/grain-memory</c> measures the managed memory each
/// active address, interface and leaderboard grain of this silo holds. For one kind at a time it
/// collects the heap, deactivates every activation of that kind on this silo, waits until they are
/// gone, collects again and divides the freed bytes by the number of activations (what the
/// in-process <c>FlowMesh.Benchmarks --memory-per-grain</c> probe does, on a real server after a
/// real load). It is destructive — grains lose their in-memory state (a journal restores it on
/// the next call) — so it is off unless <c>FlowMesh:Diagnostics:GrainMemoryProbe=true</c>, only on
/// a process with the silo role, answers only callers on the same machine (loopback; 403 otherwise),
/// and is meant for benchmark servers, never production.
/// </summary>
public static class GrainMemoryProbe
{
    public const string ConfigurationKey = "FlowMesh:Diagnostics:GrainMemoryProbe";

    public const string Path = "/diagnostics/grain-memory";

    /// <summary>How long a kind's deactivations may take before the probe gives up.</summary>
    private static readonly TimeSpan DeactivationTimeout = TimeSpan.FromMinutes(2);

    public static bool IsEnabled(IConfiguration configuration, ServerRoles roles) =>
        roles.HasFlag(ServerRoles.Silo) && configuration.GetValue<bool>(ConfigurationKey);

    public static WebApplication MapGrainMemoryProbe(this WebApplication app, ServerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!IsEnabled(app.Configuration, roles)) return app;
        app.MapPost(Path, async (HttpContext context, IGrainFactory grains, ILocalSiloDetails silo, CancellationToken cancellationToken) =>
        {
            if (!IsAllowedFrom(context.Connection.RemoteIpAddress))
                return Results.Problem($"{Path} answers only requests from this machine (loopback).", statusCode: StatusCodes.Status403Forbidden);
            try
            {
                return Results.Ok(await MeasureAsync(grains, silo.SiloAddress, cancellationToken));
            }
            catch (TimeoutException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }

    /// <summary>Only a caller on this machine may deactivate its grains.</summary>
    public static bool IsAllowedFrom(System.Net.IPAddress? remote) =>
        remote is not null && System.Net.IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    private static async Task<GrainMemoryReport> MeasureAsync(IGrainFactory grains, SiloAddress silo, CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        (string Name, GrainType Type)[] kinds =
        [
            ("address", grains.GetGrain<IAddressGrain>("-").GetGrainId().Type),
            ("interface", grains.GetGrain<IInterfaceGrain>("-").GetGrainId().Type),
            ("leaderboard", grains.GetGrain<ILeaderboardGrain>("-").GetGrainId().Type),
        ];
        var heapBefore = CollectedHeap();
        var heap = heapBefore;
        var measured = new List<GrainKindMemory>(kinds.Length);
        foreach (var (name, type) in kinds)
        {
            var ids = await ActiveAsync(management, silo, type);
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (id, token) =>
                await grains.GetGrain(id).AsReference<IGrainManagementExtension>().DeactivateOnIdle(token));
            var waited = Stopwatch.StartNew();
            while ((await ActiveAsync(management, silo, type)).Overlaps(ids))
            {
                if (waited.Elapsed > DeactivationTimeout)
                    throw new TimeoutException($"{name} grains were still active {DeactivationTimeout.TotalSeconds:F0} s after they were asked to deactivate; nothing was measured");
                await Task.Delay(50, cancellationToken);
            }
            var after = CollectedHeap();
            var freed = heap - after;
            measured.Add(new GrainKindMemory(name, ids.Count, freed, ids.Count == 0 ? null : freed / ids.Count));
            heap = after;
        }
        return new GrainMemoryReport(silo.ToString(), heapBefore, heap, measured);
    }

    private static async Task<HashSet<GrainId>> ActiveAsync(IManagementGrain management, SiloAddress silo, GrainType type)
    {
        var statistics = await management.GetDetailedGrainStatistics(null, [silo]);
        return statistics.Where(s => s.GrainId.Type.Equals(type)).Select(s => s.GrainId).ToHashSet();
    }

    /// <summary>Bytes in use on the managed heap after full blocking collections (and finalizers) until it settles.</summary>
    private static long CollectedHeap() => GC.GetTotalMemory(forceFullCollection: true);
}

/// <summary>What <see cref="GrainMemoryProbe"/> measured on one silo.</summary>
public sealed record GrainMemoryReport(string Silo, long HeapBeforeBytes, long HeapAfterBytes, IReadOnlyList<GrainKindMemory> Kinds);

/// <summary>One grain kind: how many activations this silo held and the heap their deactivation freed.</summary>
public sealed record GrainKindMemory(string Kind, int Activations, long FreedBytes, long? BytesPerActivation);
