namespace IdVerify.Cli.Bench;

/// <summary>The machine a bench ran on, as the report records it.</summary>
public sealed record MachineInfo(string Cpu, int Cores, string Architecture, string Runtime, string Os)
{
    public static MachineInfo Current()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return new MachineInfo(cpu ?? "unknown", Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, System.Runtime.InteropServices.RuntimeInformation.OSDescription);
    }
}
