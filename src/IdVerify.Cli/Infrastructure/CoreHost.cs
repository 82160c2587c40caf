using IdVerify.Core;
using IdVerify.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdVerify.Cli.Infrastructure;

/// <summary>
/// Core's services for one command, registered exactly as the service registers them (<see cref="CoreRegistration"/>)
/// over the same configuration sources: an appsettings-shaped file (--config), active.json, environment variables,
/// then the command's own flags.
/// </summary>
public sealed class CoreHost
{
    public ServiceProvider Start(string? configFile, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{configFile} does not exist.");
            }

            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(overrides);
        IConfiguration configuration;
        try
        {
            builder.AddActiveBundle(builder.Build());
            configuration = builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{configFile ?? "active.json"} is not valid JSON: {ex.Message}");
        }

        var services = new ServiceCollection().AddIdVerifyCore(configuration);
        var provider = services.BuildServiceProvider();
        try
        {
            // The service validates every option at start; so does every command.
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "Configuration refused: " + string.Join(" ", ex.Failures));
        }

        return provider;
    }
}
