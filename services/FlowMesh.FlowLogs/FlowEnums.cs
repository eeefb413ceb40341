namespace FlowMesh.FlowLogs;

/// <summary>The <c>action</c> field. <see cref="None"/> is '-' (NODATA/SKIPDATA records).</summary>
public enum FlowAction : byte { None = 0, Accept = 1, Reject = 2 }

/// <summary>The <c>log-status</c> field.</summary>
public enum LogStatus : byte { None = 0, Ok = 1, NoData = 2, SkipData = 3 }

/// <summary>The <c>flow-direction</c> field (v5), relative to the capturing interface.</summary>
public enum FlowDirection : byte { None = 0, Ingress = 1, Egress = 2 }

/// <summary>The <c>type</c> field (v3).</summary>
public enum TrafficType : byte { None = 0, IPv4 = 1, IPv6 = 2, Efa = 3 }

/// <summary>Bits of the <c>tcp-flags</c> field (named for the TCP control bits it reports) (v3), OR-ed over the capture window. SYN-ACK is reported as 18.</summary>
[Flags]
public enum TcpControlBits : byte { None = 0, Fin = 1, Syn = 2, Rst = 4, Psh = 8, Ack = 16, Urg = 32, SynAck = Syn | Ack }
