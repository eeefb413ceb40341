using System.Text;

namespace FlowMesh.Benchmarks;

/// <summary>Realistic flow-log text: a few ENIs and accounts, many addresses and ports, some REJECT and NODATA.</summary>
internal static class FlowLines
{
    public const int LineCount = 10_000;

    public static byte[] DefaultV2()
    {
        var random = new Random(42);
        var sb = new StringBuilder();
        for (var i = 0; i < LineCount; i++)
        {
            var eni = $"eni-0a1b2c3d4e5f607{random.Next(20):d2}";
            if (random.Next(200) == 0)
            {
                sb.Append($"2 123456789012 {eni} - - - - - - - 1764115200 1764115260 - NODATA\n");
                continue;
            }
            var inbound = random.Next(2) == 0;
            var local = $"10.0.{random.Next(8)}.{random.Next(1, 255)}";
            var remote = $"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
            var (src, dst) = inbound ? (remote, local) : (local, remote);
            var protocol = random.Next(10) switch { 0 => 17, 1 => 1, _ => 6 };
            var packets = random.Next(1, 5000);
            sb.Append($"2 123456789012 {eni} {src} {dst} {random.Next(1024, 65536)} {(random.Next(3) == 0 ? 443 : random.Next(65536))} {protocol} ")
              .Append($"{packets} {packets * random.Next(40, 1500)} {1764115200 + random.Next(60)} {1764115260 + random.Next(60)} ")
              .Append(random.Next(8) == 0 ? "REJECT" : "ACCEPT").Append(" OK\n");
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    public const string WideV5Format =
        "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} " +
        "${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status} ${region} ${az-id} " +
        "${sublocation-type} ${sublocation-id} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}";

    public static byte[] WideV5()
    {
        var random = new Random(43);
        var sb = new StringBuilder();
        string[] services = ["-", "-", "-", "S3", "AMAZON", "EC2", "DYNAMODB"];
        for (var i = 0; i < LineCount; i++)
        {
            var egress = random.Next(2) == 0;
            var local = $"10.0.{random.Next(8)}.{random.Next(1, 255)}";
            var remote = $"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
            var (src, dst) = egress ? (local, remote) : (remote, local);
            var packets = random.Next(1, 5000);
            sb.Append($"5 vpc-0a1b2c3d4e5f6789{random.Next(3)} subnet-0aa11bb22cc33dd4{random.Next(6)} i-0123456789abcde{random.Next(16):x2} ")
              .Append($"eni-0a1b2c3d4e5f607{random.Next(20):d2} 123456789012 IPv4 {src} {dst} {random.Next(1024, 65536)} 443 {src} {dst} 6 ")
              .Append($"{packets * 700} {packets} 1764115200 1764115260 {(random.Next(8) == 0 ? "REJECT" : "ACCEPT")} {random.Next(4) switch { 0 => 19, 1 => 3, 2 => 18, _ => 2 }} OK ")
              .Append($"us-east-1 use1-az{random.Next(1, 7)} - - {services[random.Next(services.Length)]} {services[random.Next(services.Length)]} ")
              .Append(egress ? $"egress {random.Next(1, 9)}\n" : "ingress -\n");
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
