using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(IdVerify.Benchmarks.HotPathBenchmarks).Assembly).Run(args);
