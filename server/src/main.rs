//! Entry point of the `server` binary: parse the configuration, build the state, serve.

use clap::Parser;
use server::commands;
use server::config::{AuditCommand, Cli, Command};
use server::{router, AppState};

/// See the note on `mimalloc` in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        Command::CreateAdmin { login, name } => {
            commands::create_admin(&cli.config, &login, &name).await
        }
        Command::Precompress => match server::assets::precompress(&cli.config.site_root) {
            Ok(written) => {
                for line in written {
                    println!("{line}");
                }
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("server: precompress: {e}");
                std::process::ExitCode::FAILURE
            }
        },
        Command::Backup { out } => commands::backup(&cli.config, &out).await,
        Command::Restore { from } => commands::restore(&cli.config, &from).await,
        Command::Regulation { command } => commands::regulation(&cli.config, command),
        Command::Audit {
            command: AuditCommand::Verify { anchor },
        } => commands::audit_verify(&cli.config, anchor.as_deref()).await,
        Command::Audit {
            command: AuditCommand::Head,
        } => commands::audit_head(&cli.config).await,
    }
}

async fn serve(config: server::config::Config) -> std::process::ExitCode {
    let addr = config.site_addr;
    let state = match AppState::build(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("server: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if state.config.demo {
        // The living demo (issue 17): only in normal start-up, so tests that start a server
        // with the demo accounts (`TestApp::demo`) keep an otherwise empty portal.
        if let Err(e) = server::demo::seed(&state, store::now_ms()).await {
            eprintln!("server: the demo data could not be seeded: {e}");
        }
    }
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("server: cannot listen on {addr}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("大足区司法人员与律师交往规范平台 listening on http://{addr}");
    let timeouts = state.config.timeouts();
    if let Err(e) = server::edge::serve(listener, router(state), timeouts, shutdown()).await {
        eprintln!("server: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
