using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;
using FlowMesh.Grains;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query;

/// <summary>
/// The one place protobuf meets the domain: requests are validated into grain queries (defaults
/// resolved, errors naming the field) and grain answers are mapped to protobuf messages.
/// Protobuf types go no further than this file and the service adapter.
/// </summary>
internal static partial class ProtoMapping
{
    public const int DefaultLimit = 10;
    private const Window DefaultWindow = Window.FiveMinutes;

    // ---- requests -------------------------------------------------------------------------

    public static TopQuery ToTopQuery(V1.TopContributorsRequest request, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = ToTarget(request.Scope, prefix + "scope");
        var query = new TopContributorsQuery(
            ToDimension(request.Dimension, target, prefix + "dimension"),
            ToMetric(request.Metric, prefix + "metric"),
            ToWindow(request.Window, prefix + "window"),
            ToLimit(request.Limit, prefix + "limit"),
            ToFilter(request.Filter, prefix + "filter"));
        // Last line of defence: the grain contract's own rules, with the field prefix added.
        if (query.Validate() is { } problem) throw new QueryValidationException(prefix + problem);
        return new TopQuery(target, query);
    }

    public static StreamKey ToStreamKey(V1.StreamTopContributorsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var top = ToTopQuery(request.Query ?? new V1.TopContributorsRequest(), "query.");
        var interval = request.UpdateInterval is null ? StreamKey.DefaultInterval : request.UpdateInterval.ToTimeSpan();
        if (interval < StreamKey.MinimumInterval || interval > StreamKey.MaximumInterval)
        {
            throw new QueryValidationException(
                $"update_interval: {interval.TotalMilliseconds:0.###}ms is outside {StreamKey.MinimumInterval.TotalMilliseconds:0}ms..{StreamKey.MaximumInterval.TotalSeconds:0}s");
        }
        return new StreamKey(top.Target, top.Query, interval);
    }

    public static (string InterfaceId, Window Window, int Limit) ToDescribe(V1.DescribeInterfaceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (ToInterfaceId(request.InterfaceId, "interface_id"), ToWindow(request.Window, "window"), ToLimit(request.Limit, "limit"));
    }

    public static (FlowAddress Address, Window Window, int Limit) ToDescribe(V1.DescribeAddressRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (ToAddress(request.Address, "address"), ToWindow(request.Window, "window"), ToLimit(request.Limit, "limit"));
    }

    private static QueryTarget ToTarget(V1.Scope? scope, string field) => scope?.KindCase switch
    {
        null or V1.Scope.KindOneofCase.None or V1.Scope.KindOneofCase.All => QueryTarget.Leaderboard(LeaderboardScope.All),
        V1.Scope.KindOneofCase.AccountId => QueryTarget.Leaderboard(LeaderboardScope.ForAccount(ToId(scope.AccountId, field + ".account_id"))),
        V1.Scope.KindOneofCase.VpcId => QueryTarget.Leaderboard(LeaderboardScope.ForVpc(ToId(scope.VpcId, field + ".vpc_id"))),
        V1.Scope.KindOneofCase.InterfaceId => QueryTarget.Interface(ToInterfaceId(scope.InterfaceId, field + ".interface_id")),
        V1.Scope.KindOneofCase.Address => QueryTarget.Address(ToAddress(scope.Address, field + ".address")),
        _ => throw new QueryValidationException($"{field}: {scope.KindCase} is not a known scope"),
    };

    private static string ToId(string text, string field)
    {
        var id = text.Trim();
        if (id.Length == 0) throw new QueryValidationException($"{field}: must not be empty");
        if (id.Any(char.IsWhiteSpace)) throw new QueryValidationException($"{field}: '{text}' contains white space");
        return id;
    }

    private static string ToInterfaceId(string text, string field) => ToId(text, field);

    private static FlowAddress ToAddress(string text, string field) =>
        FlowAddress.TryParse(text?.Trim(), out var address) && !address.IsAbsent
            ? address
            : throw new QueryValidationException($"{field}: '{text}' is not an IPv4 or IPv6 address");

    private static Dimension ToDimension(V1.Dimension value, QueryTarget target, string field)
    {
        if (value == V1.Dimension.Unspecified) return target.DefaultDimension;
        var dimension = (Dimension)(int)value;
        if (!System.Enum.IsDefined(value)) throw new QueryValidationException($"{field}: {(int)value} is not a known dimension");
        if (!target.Dimensions.Contains(dimension))
        {
            var supported = string.Join(", ", target.Dimensions.Select(d => Name((V1.Dimension)(int)d)));
            throw new QueryValidationException($"{field}: {Name(value)} is not kept for scope {target.Scope}; use one of {supported}");
        }
        return dimension;
    }

    private static Metric ToMetric(V1.Metric value, string field) => value switch
    {
        V1.Metric.Unspecified => Metric.Bytes,
        _ when System.Enum.IsDefined(value) => (Metric)(int)value,
        _ => throw new QueryValidationException($"{field}: {(int)value} is not a known metric"),
    };

    private static Window ToWindow(V1.Window value, string field) => value switch
    {
        V1.Window.Unspecified => DefaultWindow,
        _ when System.Enum.IsDefined(value) => (Window)(int)value,
        // Window values are minutes, so an unknown one still reads naturally ("7m").
        _ => throw new QueryValidationException($"{field}: {(int)value}m is not one of 1m, 5m, 15m, 60m"),
    };

    private static int ToLimit(uint value, string field) => value switch
    {
        0 => DefaultLimit,
        <= TopContributorsQuery.MaxLimit => (int)value,
        _ => throw new QueryValidationException($"{field}: {value} is outside 1..{TopContributorsQuery.MaxLimit}"),
    };

    private static FlowFilter? ToFilter(V1.FlowFilter? filter, string field)
    {
        if (filter is null) return null;
        FlowAction? action = filter.Action switch
        {
            V1.FlowAction.Unspecified => null,
            V1.FlowAction.Accept => FlowAction.Accept,
            V1.FlowAction.Reject => FlowAction.Reject,
            _ => throw new QueryValidationException($"{field}.action: {(int)filter.Action} is not ACCEPT or REJECT"),
        };
        if (filter.HasProtocol && filter.Protocol > 255) throw new QueryValidationException($"{field}.protocol: {filter.Protocol} is outside 0..255");
        if (filter.HasDestinationPort && filter.DestinationPort > 65535)
            throw new QueryValidationException($"{field}.destination_port: {filter.DestinationPort} is outside 0..65535");
        var result = new FlowFilter(action, filter.HasProtocol ? (int)filter.Protocol : null, filter.HasDestinationPort ? (int)filter.DestinationPort : null);
        return result.IsEmpty ? null : result;
    }

    private static string Name(V1.Dimension value) =>
        V1.CommonReflection.Descriptor.FindTypeByName<EnumDescriptor>("Dimension").FindValueByNumber((int)value)?.Name ?? ((int)value).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // ---- answers --------------------------------------------------------------------------

    public static V1.TopContributorsSnapshot ToProto(TopContributorsSnapshot snapshot, QueryTarget target)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var query = snapshot.Query;
        var message = new V1.TopContributorsSnapshot
        {
            Scope = target.Scope,
            Dimension = (V1.Dimension)(int)query.Dimension,
            Metric = (V1.Metric)(int)query.Metric,
            Window = (V1.Window)(int)query.Window,
            Totals = ToProto(snapshot.Totals),
            WindowStart = Unix(snapshot.WindowStartUnix),
            WindowEnd = Unix(snapshot.WindowEndUnix),
            Exact = snapshot.Exact,
            Version = snapshot.Version,
            LastUpdated = snapshot.LastUpdated is { } updated ? Timestamp.FromDateTimeOffset(updated) : null,
            CoverageStart = snapshot.CoverageStartUnix > 0 ? Unix(snapshot.CoverageStartUnix) : null,
            Filter = ToProto(query.Filter),
        };
        message.Contributors.AddRange(ToProto(snapshot.Contributors, query.Dimension));
        return message;
    }

    public static V1.TopContributorsUpdate ToUpdate(ulong sequence, TopContributorsSnapshot snapshot, QueryTarget target) =>
        new() { Sequence = sequence, Snapshot = ToProto(snapshot, target) };

    public static V1.InterfaceSummary ToProto(InterfaceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var message = new V1.InterfaceSummary
        {
            InterfaceId = summary.InterfaceId,
            AccountId = summary.AccountId ?? "",
            VpcId = summary.VpcId ?? "",
            SubnetId = summary.SubnetId ?? "",
            InstanceId = summary.InstanceId ?? "",
            FirstSeen = Timestamp.FromDateTimeOffset(summary.FirstSeen),
            LastSeen = Timestamp.FromDateTimeOffset(summary.LastSeen),
            Window = (V1.Window)(int)summary.Window,
            Totals = ToProto(summary.Totals),
            AcceptSeen = summary.AcceptSeen,
            RejectSeen = summary.RejectSeen,
            LateFlows = summary.LateFlows,
            Version = summary.Version,
            CaptureFilter = summary.CaptureFilter switch
            {
                "both" => V1.CaptureFilter.Both,
                "probably_accept_only" => V1.CaptureFilter.ProbablyAcceptOnly,
                "probably_reject_only" => V1.CaptureFilter.ProbablyRejectOnly,
                _ => V1.CaptureFilter.Undetermined,
            },
            CaptureAdvice = summary.CaptureAdvice ?? "",
        };
        message.LocalAddresses.AddRange(summary.LocalAddresses);
        message.TopPeers.AddRange(ToProto(summary.TopPeers, Dimension.PeerAddress));
        message.TopDestinationPorts.AddRange(ToProto(summary.TopDestinationPorts, Dimension.DestinationPort));
        message.TopProtocols.AddRange(ToProto(summary.TopProtocols, Dimension.Protocol));
        return message;
    }

    public static V1.AddressSummary ToProto(AddressSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new V1.AddressSummary
        {
            Address = summary.Address,
            FirstSeen = Timestamp.FromDateTimeOffset(summary.FirstSeen),
            LastSeen = Timestamp.FromDateTimeOffset(summary.LastSeen),
            Window = (V1.Window)(int)summary.Window,
            AsSource = ToProto(summary.AsSource),
            AsDestination = ToProto(summary.AsDestination),
            LateFlows = summary.LateFlows,
            Version = summary.Version,
        };
    }

    private static V1.AddressRoleSummary ToProto(AddressRoleSummary role)
    {
        var message = new V1.AddressRoleSummary { Totals = ToProto(role.Totals) };
        message.TopPeers.AddRange(ToProto(role.TopPeers, Dimension.PeerAddress));
        message.TopDestinationPorts.AddRange(ToProto(role.TopDestinationPorts, Dimension.DestinationPort));
        message.TopInterfaces.AddRange(ToProto(role.TopInterfaces, Dimension.Interface));
        return message;
    }

    private static V1.TrafficTotals ToProto(TrafficTotals t) => new()
    {
        Flows = t.Flows, Packets = t.Packets, Bytes = t.Bytes,
        AcceptedFlows = t.AcceptedFlows, AcceptedPackets = t.AcceptedPackets, AcceptedBytes = t.AcceptedBytes,
        RejectedFlows = t.RejectedFlows, RejectedPackets = t.RejectedPackets, RejectedBytes = t.RejectedBytes,
        NoDataRecords = t.NoDataRecords, SkipDataRecords = t.SkipDataRecords, RejectRate = t.RejectRate,
    };

    private static IEnumerable<V1.Contributor> ToProto(IReadOnlyList<ContributorValue> values, Dimension dimension) =>
        values.Select(v => ToProto(v, dimension));

    private static V1.Contributor ToProto(ContributorValue value, Dimension dimension)
    {
        var message = new V1.Contributor { Label = value.Label, Value = value.Value, ErrorBound = value.ErrorBound, Share = value.Share };
        var key = value.Key;
        switch (dimension)
        {
            case Dimension.AddressPair:
                message.AddressPair = new V1.AddressPair { Source = key.Address.ToString(), Destination = key.Peer.ToString() };
                break;
            case Dimension.Interface:
                message.InterfaceId = key.Text ?? "";
                break;
            case Dimension.DestinationPort:
                message.DestinationPort = (uint)Math.Max(0, key.Number);
                break;
            case Dimension.Protocol:
                message.Protocol = (uint)Math.Max(0, key.Number);
                break;
            default:
                message.Address = key.Address.ToString();
                break;
        }
        return message;
    }

    private static V1.FlowFilter? ToProto(FlowFilter? filter)
    {
        if (filter is null || filter.IsEmpty) return null;
        var message = new V1.FlowFilter
        {
            Action = filter.Action switch { FlowAction.Accept => V1.FlowAction.Accept, FlowAction.Reject => V1.FlowAction.Reject, _ => V1.FlowAction.Unspecified },
        };
        if (filter.Protocol is { } protocol) message.Protocol = (uint)protocol;
        if (filter.DestinationPort is { } port) message.DestinationPort = (uint)port;
        return message;
    }

    private static Timestamp Unix(long seconds) => Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(seconds));
}
