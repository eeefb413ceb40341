using System.Globalization;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Alerts.Rules;

/// <summary>A group of a rule: an address, an id or a port, depending on <see cref="AlertGroupBy"/>.</summary>
public readonly record struct AlertGroupKey(FlowAddress Address, string? Id, int Number)
{
    /// <summary>The group of a rule that is not grouped.</summary>
    public const string All = "*";

    public string ToText(AlertGroupBy groupBy) => groupBy switch
    {
        AlertGroupBy.None => All,
        AlertGroupBy.Source or AlertGroupBy.Destination => Address.IsAbsent ? "-" : Address.ToString(),
        AlertGroupBy.DestinationPort => Number < 0 ? "-" : Number.ToString(CultureInfo.InvariantCulture),
        _ => Id ?? "-",
    };
}

/// <summary>A checked, compiled <see cref="AlertRuleOptions"/>.</summary>
public sealed class AlertRule
{
    private readonly HashSet<int>? _ports;
    private readonly HashSet<int>? _protocols;
    private readonly FlowAction _action;
    private readonly FlowDirection _direction;
    private readonly bool? _sourceInside;
    private readonly bool? _destinationInside;
    private readonly CidrBlock[] _internal;
    private readonly CidrBlock[] _sourceCidrs;
    private readonly CidrBlock[] _destinationCidrs;
    private readonly HashSet<string>? _interfaces;
    private readonly HashSet<string>? _vpcs;
    private readonly bool _excludeReplies;

    internal AlertRule(
        AlertRuleOptions options, bool builtIn, AlertAggregation aggregation, AlertGroupBy groupBy,
        HashSet<int>? protocols, FlowAction action, FlowDirection direction, bool? sourceInside, bool? destinationInside,
        CidrBlock[] internalCidrs, CidrBlock[] sourceCidrs, CidrBlock[] destinationCidrs)
    {
        Options = options;
        BuiltIn = builtIn;
        Aggregation = aggregation;
        GroupBy = groupBy;
        _ports = options.Filter.DestinationPorts.Count > 0 ? [.. options.Filter.DestinationPorts] : null;
        _protocols = protocols;
        _action = action;
        _direction = direction;
        _sourceInside = sourceInside;
        _destinationInside = destinationInside;
        _internal = internalCidrs;
        _sourceCidrs = sourceCidrs;
        _destinationCidrs = destinationCidrs;
        _interfaces = options.Filter.Interfaces.Count > 0 ? new HashSet<string>(options.Filter.Interfaces, StringComparer.Ordinal) : null;
        _vpcs = options.Filter.Vpcs.Count > 0 ? new HashSet<string>(options.Filter.Vpcs, StringComparer.Ordinal) : null;
        _excludeReplies = options.Filter.ExcludeReplies;
    }

    public AlertRuleOptions Options { get; }
    public string Name => Options.Name;
    public string Description => Options.Description ?? "";
    public bool BuiltIn { get; }
    public AlertAggregation Aggregation { get; }
    public AlertGroupBy GroupBy { get; }
    public TimeSpan Period => Options.Period;
    public double Threshold => Options.Threshold;
    public int EvaluationPeriods => Options.EvaluationPeriods;
    public int DatapointsToAlarm => Options.DatapointsToAlarm;

    /// <summary>Whether a combined row counts for this rule (NODATA/SKIPDATA rows never do).</summary>
    public bool Matches(in FlowRow row)
    {
        if (row.IsNoTraffic) return false;
        var key = row.Key;
        if (_ports is not null && !_ports.Contains(key.DestinationPort)) return false;
        if (_protocols is not null && !_protocols.Contains(key.Protocol)) return false;
        if (_action != FlowAction.None && key.Action != _action) return false;
        if (_direction != FlowDirection.None && key.Direction != _direction) return false;
        // A record without the address (a custom format lacking it) is neither inside nor outside.
        if (_sourceInside is { } si && (key.Source.IsAbsent || IsInternal(key.Source) != si)) return false;
        if (_destinationInside is { } di && (key.Destination.IsAbsent || IsInternal(key.Destination) != di)) return false;
        if (_sourceCidrs.Length > 0 && !AnyContains(_sourceCidrs, key.Source)) return false;
        if (_destinationCidrs.Length > 0 && !AnyContains(_destinationCidrs, key.Destination)) return false;
        if (_interfaces is not null && (key.InterfaceId is null || !_interfaces.Contains(key.InterfaceId))) return false;
        if (_vpcs is not null && (key.VpcId is null || !_vpcs.Contains(key.VpcId))) return false;
        // The combiner keeps a row's source port only for a service's reply (see FlowRowKey.KeptSourcePort).
        if (_excludeReplies && key.SourcePort >= 0) return false;
        return true;
    }

    public AlertGroupKey GroupOf(in FlowRow row) => GroupBy switch
    {
        AlertGroupBy.None => default,
        AlertGroupBy.Source => new AlertGroupKey(row.Key.Source, null, 0),
        AlertGroupBy.Destination => new AlertGroupKey(row.Key.Destination, null, 0),
        AlertGroupBy.Interface => new AlertGroupKey(default, row.Key.InterfaceId, 0),
        AlertGroupBy.DestinationPort => new AlertGroupKey(default, null, row.Key.DestinationPort),
        AlertGroupBy.Vpc => new AlertGroupKey(default, row.Key.VpcId, 0),
        _ => new AlertGroupKey(default, row.Key.AccountId, 0),
    };

    /// <summary>The value of one group's period; an absent group is 0.</summary>
    public double Value(GroupAggregate? aggregate)
    {
        if (aggregate is null) return 0;
        return Aggregation switch
        {
            AlertAggregation.Flows => aggregate.Flows,
            AlertAggregation.Packets => aggregate.Packets,
            AlertAggregation.Bytes => aggregate.Bytes,
            AlertAggregation.RejectedFlows => aggregate.RejectedFlows,
            AlertAggregation.RejectRate => aggregate.Flows > 0 && aggregate.Flows >= Options.MinimumFlows
                ? (double)aggregate.RejectedFlows / aggregate.Flows : 0,
            AlertAggregation.FlowsWithoutRejects => aggregate.RejectedFlows == 0 ? aggregate.Flows : 0,
            _ => aggregate.DistinctCount,
        };
    }

    /// <summary>One line saying what the rule does, for listings.</summary>
    public string Summary()
    {
        var f = Options.Filter;
        var parts = new List<string>();
        if (f.DestinationPorts.Count > 0) parts.Add("port " + string.Join(",", f.DestinationPorts));
        if (f.Protocols.Count > 0) parts.Add(string.Join(",", f.Protocols).ToLowerInvariant());
        if (f.Action is { Length: > 0 }) parts.Add(f.Action.ToLowerInvariant());
        if (f.Direction is { Length: > 0 }) parts.Add(f.Direction.ToLowerInvariant());
        if (f.Source is { Length: > 0 }) parts.Add($"source {f.Source.ToLowerInvariant()} the VPC");
        if (f.Destination is { Length: > 0 }) parts.Add($"destination {f.Destination.ToLowerInvariant()} the VPC");
        if (f.SourceCidrs.Count > 0) parts.Add("source in " + string.Join(",", f.SourceCidrs));
        if (f.DestinationCidrs.Count > 0) parts.Add("destination in " + string.Join(",", f.DestinationCidrs));
        if (f.Interfaces.Count > 0) parts.Add("interface " + string.Join(",", f.Interfaces));
        if (f.Vpcs.Count > 0) parts.Add("vpc " + string.Join(",", f.Vpcs));
        if (f.ExcludeReplies) parts.Add("requests (replies excluded)");
        var filter = parts.Count == 0 ? "all records" : string.Join(", ", parts);
        var per = GroupBy == AlertGroupBy.None ? "" : $" per {AlertNames.Name(GroupBy).Replace('_', ' ')}";
        var threshold = Aggregation == AlertAggregation.RejectRate
            ? Threshold.ToString("P1", CultureInfo.InvariantCulture)
            : Threshold.ToString("G", CultureInfo.InvariantCulture);
        return $"{AlertNames.Name(Aggregation)}{per} of {filter} > {threshold} in {DatapointsToAlarm} of {EvaluationPeriods} periods of {Period}";
    }

    private bool IsInternal(FlowAddress address) => !address.IsAbsent && AnyContains(_internal, address);

    private static bool AnyContains(CidrBlock[] blocks, FlowAddress address)
    {
        foreach (var block in blocks)
            if (block.Contains(address)) return true;
        return false;
    }
}
