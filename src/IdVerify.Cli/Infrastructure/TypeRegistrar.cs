using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Infrastructure;

/// <summary>Spectre.Console.Cli's commands built by Microsoft.Extensions.DependencyInjection, as the service's endpoints are.</summary>
public sealed class TypeRegistrar(IServiceCollection services) : ITypeRegistrar
{
    public ITypeResolver Build() => new TypeResolver(services.BuildServiceProvider());

    public void Register(Type service, Type implementation) => services.AddSingleton(service, implementation);

    public void RegisterInstance(Type service, object implementation) => services.AddSingleton(service, implementation);

    public void RegisterLazy(Type service, Func<object> factory) => services.AddSingleton(service, _ => factory());
}
