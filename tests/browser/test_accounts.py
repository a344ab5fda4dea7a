"""Registering, signing in, my reports: intake's errors shown on the right field, in Indonesian."""

from tests.browser.steps import check_and_send, fill_complaint


def test_a_wrong_nik_birth_date_is_shown_on_the_nik_and_corrected(page, portal):
    page.goto(f"{portal}/daftar")
    # 73.11.01, born 12-08-1990, a woman (52 = 12 + 40), serial 0001 (SPEC §8)
    page.get_by_label("NIK").fill("7311015208900001")
    page.get_by_label("Nama lengkap").fill("Siti Rahmawati")
    page.get_by_label("Perempuan").check()
    page.get_by_label("Tanggal lahir").fill("1990-08-13")
    page.get_by_label("Nama pengguna").fill("siti.rahma")
    page.get_by_label("Nomor telepon").fill("0812-9999-0001")
    page.get_by_label("E-mail").fill("siti@example.id")
    page.get_by_label("Kata sandi").fill("kata-sandi-panjang")
    page.get_by_role("button", name="Daftar").click()

    alert = page.get_by_role("alert")
    assert "Tanggal lahir tidak sesuai dengan NIK" in alert.inner_text()
    assert "Birth date" not in alert.inner_text()
    nik = page.get_by_label("NIK")
    assert nik.get_attribute("aria-invalid") == "true"
    assert "Tanggal lahir tidak sesuai dengan NIK" in page.locator("#nik-error").inner_text()
    assert page.get_by_label("Nama lengkap").input_value() == "Siti Rahmawati"
    assert page.get_by_label("Kata sandi").input_value() == ""  # a password is never sent back

    page.get_by_label("Tanggal lahir").fill("1990-08-12")
    page.get_by_label("Kata sandi").fill("kata-sandi-panjang")
    page.get_by_role("button", name="Daftar").click()
    page.get_by_role("heading", name="Laporan saya").wait_for()

    fill_complaint(page, portal)
    tracking_id = check_and_send(page)
    page.goto(f"{portal}/laporan-saya")
    assert tracking_id in page.locator("main").inner_text()

    page.get_by_role("button", name="Keluar").click()
    page.goto(f"{portal}/laporan-saya")
    page.get_by_role("heading", name="Masuk").wait_for()
    page.get_by_label("Nama pengguna, e-mail atau nomor telepon").fill("siti.rahma")
    page.get_by_label("Kata sandi").fill("salah-sandi")
    page.get_by_role("button", name="Masuk", exact=True).click()
    assert "salah" in page.get_by_role("alert").inner_text()
    page.get_by_label("Kata sandi").fill("kata-sandi-panjang")
    page.get_by_role("button", name="Masuk", exact=True).click()
    assert tracking_id in page.locator("main").inner_text()
