fn main() {
    vpn_designer_app::start();
}
